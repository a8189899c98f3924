#!/bin/bash
# usage: idle-ab.sh OUTDIR CONNECTIONS REPEATS CONFIG...  (interleaved). CONFIG: <jar>[:untracked] | loom
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
out=$1; n=$2; reps=$3; shift 3; mkdir -p $out
ulimit -n $(ulimit -Hn)
B=/tmp/spawn-cost/benchmarks.jar; E=/tmp/spawn-cost/examples.jar
for r in $(seq 1 $reps); do
  for cfg in "$@"; do
    case $cfg in
      loom) server=(java -cp $B gevent4j.benchmarks.echo.LoomEchoServer) ;;
      *:untracked) server=(java "-javaagent:/tmp/spawn-cost/${cfg%%:*}-agent.jar=loop=libev,track_greenlet_tree=false" -cp $E gevent4j.examples.echo.EchoServer) ;;
      *) server=(java "-javaagent:/tmp/spawn-cost/${cfg}-agent.jar=loop=libev" -cp $E gevent4j.examples.echo.EchoServer) ;;
    esac
    base=$out/idle-$n-${cfg/:/-}-$r
    load=$(cut -d' ' -f1 /proc/loadavg)
    java -cp $B gevent4j.benchmarks.idle.IdleContest --name "$cfg" --connections $n --repeat $r --csv $out/results.csv \
      --client-classpath $B --max-per-source 2000 --histogram $base.histo.txt -- "${server[@]}" > $base.log 2>&1
    echo "$r $cfg load=$load $(grep -E '^IDLE' $base.log | tr '\n' ' ')" | tee -a $out/summary.txt
  done
done
