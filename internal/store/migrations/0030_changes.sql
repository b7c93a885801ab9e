-- The change feed (concord.ChangeFeed): the changes of every committed
-- write, one row per kind (and per thousand ids), that the other nodes
-- follow. seq is assigned under the audit lock, which is held until commit,
-- so rows become visible in seq order and without gaps; ids is a JSON array.
CREATE TABLE changes (
	seq  ${seq},
	kind TEXT NOT NULL,
	ids  TEXT NOT NULL DEFAULT '[]',
	at   ${time} NOT NULL
);
CREATE INDEX changes_at ON changes (at);
