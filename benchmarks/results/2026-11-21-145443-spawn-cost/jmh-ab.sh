#!/bin/bash
# usage: jmh-ab.sh OUTFILE REPEATS JAR...   (interleaved: each repeat runs every config once)
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
out=$1; reps=$2; shift 2
B=/tmp/spawn-cost/benchmarks.jar
for r in $(seq 1 $reps); do
  for cfg in "$@"; do
    case $cfg in
      loom) a="-Dbench.threads=virtual -Djdk.virtualThreadScheduler.parallelism=1 -Djmh.executor=VIRTUAL" ;;
      loom-noop) a="-Dbench.threads=virtual -Djdk.virtualThreadScheduler.parallelism=1 -Djmh.executor=VIRTUAL -javaagent:$B" ;;
      *:untracked) a="-javaagent:/tmp/spawn-cost/${cfg%%:*}-agent.jar=track_greenlet_tree=false -Dbench.threads=new" ;;
      *) a="-javaagent:/tmp/spawn-cost/${cfg}-agent.jar -Dbench.threads=new" ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    res=$(java -cp $B org.openjdk.jmh.Main SpawnJoinBenchmark -jvmArgsAppend "$a" -prof gc -wi 3 -i 5 -w 1 -r 1 -f 1 2>&1 | grep -E "^SpawnJoinBenchmark.spawnJoin( |:gc.alloc.rate.norm)" | awk '{print $4, $6}' | tr '\n' ' ')
    echo "$r $cfg load=$load $res" | tee -a $out
  done
done
