-- The countries a member treats as high-risk for payments (issue 11),
-- comma-separated ISO 3166-1 alpha-2 codes.
ALTER TABLE coalition_members ADD COLUMN high_risk TEXT NOT NULL DEFAULT '';
