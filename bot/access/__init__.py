"""Who a person is to the bot: roles and invites (roles.py), the language they chose
(users.py), the commands they may use (commands.py) and the menu and main keyboard that
show them (menus.py, bot_profile.py for the defaults everyone sees first)."""
