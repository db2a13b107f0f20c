"""/mytasks: a coordinator's tasks and what can be done with each."""
