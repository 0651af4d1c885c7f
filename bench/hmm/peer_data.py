"""Deterministic HMM data for the pomegranate comparison: the Python twin of peerData.ts.

The generator is the engine's seeded Rng (src/engine/rng.ts: xoshiro128**, seeded through
splitmix32, 53-bit uniforms, Marsaglia's polar normals) written again with 32-bit integer
arithmetic, so both sides draw the same numbers in the same order (normals may differ in the
last bit where libm's log differs from V8's; the checksum tolerance allows for it).
"""
import math

MASK = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & MASK


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


class Rng:
    def __init__(self, seed):
        x = (int(seed) ^ 0x9E3779B9) & MASK

        def nxt():
            nonlocal x
            x = (x + 0x9E3779B9) & MASK
            z = x
            z = _imul(z ^ (z >> 16), 0x85EBCA6B)
            z = _imul(z ^ (z >> 13), 0xC2B2AE35)
            return (z ^ (z >> 16)) & MASK

        self.s0, self.s1, self.s2, self.s3 = nxt(), nxt(), nxt(), nxt()
        if (self.s0 | self.s1 | self.s2 | self.s3) == 0:
            self.s0 = 1
        self.spare = None

    def next_uint32(self):
        result = _imul(_rotl(_imul(self.s1, 5), 7), 9)
        t = (self.s1 << 9) & MASK
        self.s2 ^= self.s0
        self.s3 ^= self.s1
        self.s1 ^= self.s2
        self.s0 ^= self.s3
        self.s2 ^= t
        self.s3 = _rotl(self.s3, 11)
        return result

    def next(self):
        hi = self.next_uint32() >> 5
        lo = self.next_uint32() >> 6
        return (hi * 67108864 + lo) / 9007199254740992

    def normal(self):
        if self.spare is not None:
            v = self.spare
            self.spare = None
            return v
        while True:
            u = 2 * self.next() - 1
            v = 2 * self.next() - 1
            s = u * u + v * v
            if not (s >= 1 or s == 0):
                break
        f = math.sqrt((-2 * math.log(s)) / s)
        self.spare = v * f
        return u * f


def draw(rng, p):
    u = rng.next()
    for i, pi in enumerate(p):
        u -= pi
        if u < 0:
            return i
    return len(p) - 1


def generate(truth, emission, sequences, length, seed):
    """Returns (list of sequences, checksum); a Gaussian sequence is a list of D-vectors,
    a categorical one a list of symbol indices."""
    rng = Rng(seed)
    out = []
    checksum = 0.0
    for _ in range(sequences):
        z = draw(rng, truth["start"])
        seq = []
        for _ in range(length):
            if emission == "gaussian":
                d = len(truth["means"][0])
                n = [rng.normal() for _ in range(d)]
                L = truth["choleskyFactors"][z]
                x = []
                for a in range(d):
                    v = truth["means"][z][a]
                    for b in range(a + 1):
                        v += L[a][b] * n[b]
                    x.append(v)
                    checksum += v
                seq.append(x)
            else:
                c = draw(rng, truth["probabilities"][z])
                checksum += c
                seq.append(c)
            z = draw(rng, truth["transitions"][z])
        out.append(seq)
    return out, checksum
