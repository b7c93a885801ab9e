-- Audit rows sealed with an audit key (issue 8 §13) name it; rows written
-- before keys keep '' and their unkeyed hash.
ALTER TABLE audit ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

-- Each member's rows numbered 1, 2, 3 ... (issue 8 §4): a member's view of
-- the audit shows these, never the global seq that counts everyone's rows.
ALTER TABLE audit ADD COLUMN member_seq INTEGER NOT NULL DEFAULT 0;
UPDATE audit SET member_seq = r.n
	FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY member ORDER BY seq) AS n FROM audit) AS r
	WHERE audit.seq = r.seq;
-- Not unique: a node of an earlier release, still running during an
-- upgrade, writes 0 here; verification reports such rows.
CREATE INDEX audit_member_seq ON audit (member, member_seq);
