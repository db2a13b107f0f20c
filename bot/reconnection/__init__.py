"""Family reconnection: requests to check on someone (/find, /myrequests), relay callers
(/calls), "I'm safe" (/safe) and check-ins, group chats, retention. See README, "Family
reconnection"."""
