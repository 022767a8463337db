"""Hadoop env files as the daemons read them: what each file is for (its role), which Hadoop
major version it was written for, the variables Hadoop reads, renamed or ignores, and what a
daemon ends up seeing of JAVA_HOME.

* `cfglint.hadoop.variables`: the variable tables (Hadoop 3 renames, variables Hadoop 3 ignores,
  3.x-only names, heap sizes, names the launcher sets before hadoop-env.sh is sourced, the known
  names for did-you-mean). Source: ../shared/domain/davmail-hadoop.md part B (B.3, B.4).
* `cfglint.hadoop.facts`: the role of a file from its path (corpus `--` names included), the
  version inferred from its content, and the JAVA_HOME facts the cross-file rule HDP001 needs,
  computed once at parse time (the cross-file phase gets models without the shell IR).

Nothing is executed or sourced.
"""
