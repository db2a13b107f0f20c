"""/newtask: a coordinator writes a task step by step, checks a preview and confirms."""
