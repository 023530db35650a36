"""The wrk output parser of bench/serve.py."""
import unittest

from serve import parse_wrk

SAMPLE = """Running 10s test @ http://127.0.0.1:41000/api/map
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.02ms  30.11ms   80.00%
    Req/Sec    12.01k     1.10k   14.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    2.50ms
     90%    3.90ms
     99%    1.20s
  239000 requests in 10.00s, 1.20GB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  23900.12
Transfer/sec:    122.00MB
"""


class ParseWrk(unittest.TestCase):
    def test_units_and_errors(self):
        r = parse_wrk(SAMPLE)
        self.assertAlmostEqual(r["rps"], 23900.12)
        self.assertAlmostEqual(r["p50_ms"], 0.812)
        self.assertAlmostEqual(r["p99_ms"], 1200.0)
        self.assertEqual(r["non_2xx"], 7)
        self.assertEqual(r["timeouts"], 3)


if __name__ == "__main__":
    unittest.main()
