-- The assign pass is sharded by service (hash of the service name modulo the shard count), so
-- several workers mine disjoint services at once instead of queueing on one lock. Each shard keeps
-- its own miner snapshot here; a shard with no row yet starts from the single pre-shard snapshot
-- (miner_state), so templates learned before the upgrade keep their ids. Keyed by the shard count
-- too: a deployment that changes the count maps services to other shards and must not restore a
-- snapshot made for another set of services under the same number.
CREATE TABLE miner_shards (
  shards smallint NOT NULL CHECK (shards > 0),
  shard smallint NOT NULL CHECK (shard >= 0 AND shard < shards),
  version bigint NOT NULL,
  snapshot jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shards, shard)
);
