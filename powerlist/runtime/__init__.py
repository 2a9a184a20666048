"""Process plumbing every layer may use: worker processes that die with their parent, SIGTERM unwinding, and
the garbage collector around large catalogs. Knows nothing of power lists."""
