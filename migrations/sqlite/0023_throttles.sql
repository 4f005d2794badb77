-- Sign-in and posting limits counted across a fleet of instances. One row per limit and
-- key ("signin-ip-minute:192.0.2.7"): governor's GCRA state, the theoretical arrival time
-- of the next attempt in nanoseconds since the Unix epoch. A lone SQLite instance counts
-- in memory and leaves this table empty; PostgreSQL fleets share it.
CREATE TABLE throttle_states (
    throttle_key TEXT    NOT NULL PRIMARY KEY,
    arrival_ns   INTEGER NOT NULL
) STRICT;

CREATE INDEX throttle_states_by_arrival ON throttle_states(arrival_ns);
