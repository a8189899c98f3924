import sys,re
def load(p):
    d={}
    for l in open(p):
        m=re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)',l)
        if m: d[m.group(3)]=(int(m.group(1)),int(m.group(2)))
    return d
n=int(sys.argv[1]); a=load(sys.argv[2]); b=load(sys.argv[3])
rows=[]
for k in set(a)|set(b):
    ia,ba=a.get(k,(0,0)); ib,bb=b.get(k,(0,0))
    rows.append((bb/n-ba/n, k, ia/n, ba/n, ib/n, bb/n))
rows.sort()
print("%-60s %8s %8s %8s %8s %8s"%("class","inst/A","B/A","inst/B","B/B","diff"))
for d,k,ia,ba,ib,bb in rows:
    if abs(d)>=4 or max(ba,bb)>=30: print("%-60s %8.2f %8.0f %8.2f %8.0f %8.0f"%(k[:60],ia,ba,ib,bb,d))
print("total A %.0f B %.0f"%(sum(v[1] for v in a.values())/n, sum(v[1] for v in b.values())/n))
