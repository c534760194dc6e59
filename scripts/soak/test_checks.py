"""Unit tests of the soak's verdict (checks.classify): python3 -m unittest discover -s scripts/soak"""
import unittest

from checks import classify
from report import failure_reasons
from nodes import Incarnation, SoakProcess


def node(*spans):
    """A process with incarnations (start, ready, end)."""
    p = SoakProcess("n", [], "/dev/null", {})
    for start, ready, end in spans:
        i = Incarnation(0, start)
        i.ready, i.end = ready, end
        p.incarnations.append(i)
    return p


class ClassifyTests(unittest.TestCase):
    def setUp(self):
        # a: up all along; b: killed at 100, back (ready) at 110; c: ready only at 50.
        self.nodes = {"a": node((0, 1, None)), "b": node((0, 1, 100), (105, 110, None)), "c": node((0, 50, None))}

    def test_durability_and_gossip(self):
        acks = [(10.0, "h1", "a"), (60.0, "h2", "b")]
        pools = {"a": {"h1", "h2"}, "b": {"h2"}, "c": {"h2"}}
        r = classify(acks, pools, self.nodes, now=200, max_age=300)
        # h1 by a: a has it; b (ready 1..100, so all of 8..40) lacks it: a gossip loss; c ready at 50 only: down.
        # h2 by b: b, a and c have it.
        self.assertEqual((r.durability.expected, r.durability.present), (2, 2))
        self.assertEqual((r.gossip.expected, r.gossip.present), (3, 2))
        self.assertEqual([m[:2] for m in r.gossip.missing], [("h1", "b")])
        self.assertEqual(r.missed_while_down, 1)
        self.assertEqual(r.missing, 1)

    def test_lost_by_its_own_node_and_expiry(self):
        acks = [(95.0, "h1", "b"), (5.0, "old", "b")]
        pools = {"b": set()}
        r = classify(acks, pools, self.nodes, now=200, max_age=150, gossip=False)
        self.assertEqual([m[:2] for m in r.durability.missing], [("h1", "b")])
        self.assertEqual(r.expired, 1)

    def test_origin_killed_right_after_ack_and_open_window(self):
        acks = [(97.0, "h1", "b"), (190.0, "h2", "a")]
        pools = {"a": {"h2"}, "b": {"h1"}, "c": set()}
        r = classify(acks, pools, self.nodes, now=200, max_age=300)
        self.assertEqual(r.origin_killed, 2)  # h1 at a and c
        self.assertEqual(r.window_open, 2)  # h2 at b and c
        self.assertEqual(r.missing, 0)


class FailureReasonTests(unittest.TestCase):
    restart_ok = {"missing": 0, "errors": []}

    def final(self, durability=0, gossip=0):
        def category(missing):
            return {"missing": missing, "missing_list": [{"hash": f"0x{i:064x}", "node": "n01", "ack_time": 1.0}
                                                         for i in range(missing)]}
        return {"durability": category(durability), "gossip": category(gossip)}

    def test_a_clean_run_has_no_reason(self):
        self.assertEqual(failure_reasons(self.final(), self.restart_ok, [], {"acknowledged": 5}, None), [])

    def test_every_broken_rule_is_named(self):
        reasons = failure_reasons(self.final(gossip=4), {"missing": 2, "errors": [{"error": "timeout"}]},
                                  [{"node": "n03", "pid": 7, "how": "exited 1"}], {"acknowledged": 0}, None)
        self.assertEqual(len(reasons), 5)
        self.assertTrue(reasons[0].startswith("4 acknowledged missing gossip"))
        self.assertIn("n01", reasons[0])
        self.assertIn("right after a restart", reasons[1])
        self.assertIn("timeout", reasons[2])
        self.assertIn("n03", reasons[3])
        self.assertIn("no acknowledgement", reasons[4])

    def test_an_interrupted_run_without_final_check(self):
        reasons = failure_reasons(None, self.restart_ok, [], {"acknowledged": 3}, "SIGTERM")
        self.assertEqual(reasons, ["interrupted: SIGTERM", "no final check"])


if __name__ == "__main__":
    unittest.main()
