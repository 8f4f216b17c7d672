-- People of a unit, by status and name: the unit directory reads this index in name order, and
-- headcounts per unit and per status read it alone instead of every person's row. Status is not
-- a leading column on purpose: on its own it selects nearly everyone, and an index led by it
-- tempts the planner away from the full-text match.
DROP INDEX people_org_unit_idx;
CREATE INDEX people_org_unit_idx ON people (org_unit_id, status, sort_name);
