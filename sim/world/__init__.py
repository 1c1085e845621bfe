"""The world the processes act on: the organisation (units, posts, quotas) and the starting roster."""
