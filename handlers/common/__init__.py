"""What everyone meets: /start and the language, the main menu and its reply keyboard,
/help, /cancel, the safety nets for stale buttons and unexpected input, and the error
handler."""
