"""Family reconnection handlers: /find, /myrequests, /calls, /safe, groups, /reconnection."""
