package discourse
import ("testing";"os";"bytes";"github.com/casefile/casefile")
func BenchmarkTmp(b *testing.B){
 data,_:=os.ReadFile("/tmp/bench/hay64.txt")
 s,_:=NewScanner(DefaultLexicon(),Options{})
 b.SetBytes(int64(len(data)))
 for b.Loop(){ n:=0; s.Scan(bytes.NewReader(data), func(*casefile.DiscourseHit) error {n++;return nil}); b.ReportMetric(float64(n),"hits") }
}
