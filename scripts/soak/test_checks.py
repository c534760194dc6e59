"""Unit tests of the soak's verdict (checks.classify): python3 -m unittest discover -s scripts/soak"""
import unittest

from checks import classify
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


if __name__ == "__main__":
    unittest.main()
