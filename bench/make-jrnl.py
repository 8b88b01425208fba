#!/usr/bin/env python3
"""Writes a deterministic jrnl plain-text journal of N entries (~700 bytes each, like the
10k-entry / 7 MB journal measured in issue #7), one entry every ~9 hours back from 2026-11-01.
Usage: make-jrnl.py N OUT"""
import datetime
import random
import sys

WORDS = ("the and to a i of it was that in my me but so not is just felt feel like day today work home "
         "time again still really think know about after before when what with all out up then now she he "
         "they we her him them mum dad sister friend partner dog walk rain sun morning evening night sleep "
         "tired coffee tea train bus office meeting email call phone lake sea park garden window kitchen bed "
         "book music song film news doctor quiet heavy numb flat empty grey cold warm light dark slow nothing "
         "something maybe tried wanted cry tears laugh smiled remembered wrote read listened winter spring "
         "summer autumn snow wind river hill road city station grandmother grandfather letter photo memory").split()

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(1)
    start = datetime.datetime(2026, 11, 1, 8, 0) - datetime.timedelta(hours=9 * n)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            when = start + datetime.timedelta(hours=9 * i, minutes=rng.randrange(60))
            words = [WORDS[int(rng.random() ** 3 * len(WORDS))] for _ in range(150)]
            title = " ".join(words[:5]).capitalize() + "."
            body = " ".join(words[5:])
            f.write(f"[{when:%Y-%m-%d %H:%M}] {title} {body}\n\n")

main()
