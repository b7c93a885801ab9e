-- The records that link to an entity (concord.EntityQuery.Referencing): an
-- index of the values of entity-typed properties only (concord.EntityProps),
-- a few percent of all statements.
CREATE INDEX statements_references ON statements (value)
	WHERE prop IN ('addressEntity', 'asset', 'associate', 'beneficiary', 'case', 'director', 'entity', 'holder', 'kinship', 'linkedEntity', 'member',
		'object', 'organization', 'owner', 'payer', 'person', 'relatedCase', 'relatedRecord', 'relative', 'subject');
