-- At most one open case per dispute (claim, UR decision date, disputed items): two
-- applications for the same dispute arriving at once cannot both be found eligible.
-- "Open" is the same predicate the queries use, so the index also serves the lookup.
CREATE UNIQUE INDEX cases_open_duplicate ON cases (duplicate_key)
    WHERE status NOT IN ('ineligible', 'letter_issued');
