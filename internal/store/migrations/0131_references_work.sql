-- The references index (0050) also covers the entity-typed properties of
-- the coalition's work (an action item's decision and meeting): it indexes
-- exactly concord.EntityProps.
DROP INDEX statements_references;
CREATE INDEX statements_references ON statements (value)
	WHERE prop IN ('addressEntity', 'asset', 'associate', 'beneficiary', 'case', 'decision', 'director', 'entity', 'holder', 'kinship', 'linkedEntity', 'meeting', 'member', 'object', 'organization', 'owner', 'payer', 'person', 'relatedCase', 'relatedRecord', 'relative', 'subject');
