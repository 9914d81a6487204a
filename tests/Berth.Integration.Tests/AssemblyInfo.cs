// Privileged tests share the host (mount table, cgroup roots, process list) and LeakCheck compares global
// snapshots, so they run one at a time.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
