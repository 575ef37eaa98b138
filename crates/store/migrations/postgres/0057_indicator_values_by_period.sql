-- A computation writes an indicator's figures period by period, unit after unit: keyed in that
-- order, the (indicator, period) index the old key needed beside it is gone (issue 16).
ALTER TABLE indicator_values DROP CONSTRAINT indicator_values_pkey;
ALTER TABLE indicator_values ADD PRIMARY KEY (indicator_id, period, unit_id);
DROP INDEX indicator_values_period;
