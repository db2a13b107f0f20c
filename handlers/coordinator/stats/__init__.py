"""/stats: figures and charts for a coordinator's regions (an admin: the whole country
or one region) over a period from the picker or typed, and the report as a file."""
