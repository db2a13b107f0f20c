"""Call-outs: an urgent request for people, sent in waves on the delivery engine's
emergency lane (service.py, waves.py), the volunteers' answers (answers.py), the cards
they get (cards.py), and the coordinator's live board (board.py), driven by delivery
events and answers, edited in place and coalesced. Rules in bot/domain/callouts.py."""
