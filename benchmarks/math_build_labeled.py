"""Build benchmarks/data/math_labeled.jsonl: math-verify's public cases plus hand-made traps.

    .venv/bin/python benchmarks/math_build_labeled.py

Labels are mathematical truth for the answer each text states. Every category has near
misses that must be false (a wrong 1.0 teaches the model to be wrong). Re-run after adding
rows; the output is checked in.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT.parent / "shared" / "data" / "math_public_cases.jsonl"
OUT = ROOT / "benchmarks" / "data" / "math_labeled.jsonl"
REPLIES = ROOT / "benchmarks" / "data" / "math_labeled_replies.jsonl"

# (gold, pred, expected, tags)
T, F = True, False
HAND: list[tuple[str, str, bool, list[str]]] = []


def add(tags: str, rows: list[tuple[str, str, bool]]) -> None:
    HAND.extend((g, p, e, tags.split()) for g, p, e in rows)


add(
    "number_format",
    [
        ("1000000", "1,000,000", T),
        ("1000000", "1 000 000", T),
        ("1000000", "10^6", T),
        ("1000000", "100000", F),
        ("1000000", "1,000,001", F),
        ("-7", "-7.0", T),
        ("-7", "7", F),
        ("0", "-0", T),
        ("0", "0.0", T),
        ("0", "0.001", F),
        ("12", "012", T),
        ("12", "21", F),
        ("3.5", "3.50", T),
        ("3.5", "3.05", F),
        ("3.5", "\\frac{7}{2}", T),
        ("3.5", "\\frac{7}{3}", F),
        ("2.5", "2\\frac{1}{2}", T),
        ("2.5", "2\\frac{1}{3}", F),
        ("1", "2\\frac{1}{2}", F),
        ("1.5e3", "1500", T),
        ("1500", "1.5 \\times 10^3", T),
        ("1500", "1.5 \\times 10^4", F),
        ("6.02 \\times 10^{23}", "6.02e23", T),
        ("6.02 \\times 10^{23}", "6.02e22", F),
        ("0.001", "10^{-3}", T),
        ("0.001", "10^{-4}", F),
        ("100", "1e2", T),
        ("99", "100", F),
        ("2024", "2,024", T),
        ("2024", "2025", F),
        ("5", "\\boxed{5}", T),
        ("5", "\\boxed{-5}", F),
    ],
)
add(
    "fraction",
    [
        ("\\frac{1}{2}", "1/2", T),
        ("\\frac{1}{2}", "\\dfrac{1}{2}", T),
        ("\\frac{1}{2}", "\\tfrac12", T),
        ("\\frac{1}{2}", "\\frac{2}{4}", T),
        ("\\frac{1}{2}", "\\frac{1}{3}", F),
        ("\\frac{1}{2}", "2", F),
        ("\\frac{3}{4}", "0.75", T),
        ("\\frac{3}{4}", "0.74", F),
        ("\\frac{3}{4}", "\\frac{4}{3}", F),
        ("\\frac{2}{3}", "0.667", F),  # precision rule: 3 digits for an exact gold
        ("\\frac{2}{3}", "0.666667", T),
        ("\\frac{2}{3}", "0.6", F),
        ("\\frac{2}{3}", "0.7", F),
        ("\\frac{1}{7}", "0.142857", T),
        ("\\frac{1}{7}", "0.15", F),
        ("-\\frac{1}{2}", "\\frac{-1}{2}", T),
        ("-\\frac{1}{2}", "\\frac{1}{-2}", T),
        ("-\\frac{1}{2}", "\\frac{1}{2}", F),
        ("\\frac{22}{7}", "\\pi", F),
        ("\\frac{1}{2004!}", "\\frac{1}{2006!}", F),
        ("\\frac{1}{2^{99}}", "\\frac{1}{2^{98}}", F),
        ("\\frac{1}{2^{99}}", "2^{-99}", T),
        ("\\frac{1}{10^{20}}", "10^{-20}", T),
        ("\\frac{1}{10^{20}}", "10^{-21}", F),
        ("\\frac{1}{10^{20}}", "0", F),
        ("\\frac{5}{100000000}", "5 \\times 10^{-8}", T),
        ("\\frac{5}{100000000}", "6 \\times 10^{-8}", F),
        ("\\frac{a}{b}", "a/b", T),
        ("\\frac{a}{b}", "b/a", F),
        ("\\frac{x+1}{2}", "\\frac{x}{2}+\\frac{1}{2}", T),
    ],
)
add(
    "percent",
    [
        ("25\\%", "25\\%", T),
        ("25\\%", "0.25", T),
        ("25\\%", "25", T),
        ("25\\%", "26\\%", F),
        ("12.5\\%", "12.5", T),
        ("12.5\\%", "12.6", F),
        ("50\\%", "\\frac{1}{2}", T),
        ("50\\%", "5\\%", F),
    ],
)
add(
    "symbolic",
    [
        ("2\\sqrt{2}", "\\sqrt{8}", T),
        ("2\\sqrt{2}", "2.828", F),
        ("2\\sqrt{2}", "2.82843", T),
        ("2\\sqrt{2}", "\\sqrt{2}", F),
        ("2\\sqrt{2}", "2\\sqrt{3}", F),
        ("\\sqrt{2}", "\\sqrt2", T),
        ("\\sqrt{2}", "2^{1/2}", T),
        ("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}", T),
        ("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt{2}}{2}", F),
        ("\\frac{\\sqrt{3}}{2}", "\\sin(60^\\circ)", T),
        ("\\pi", "3.14159", T),
        ("\\pi", "3", F),
        ("\\pi", "\\frac{22}{7}", F),
        ("2\\pi", "\\pi \\cdot 2", T),
        ("2\\pi", "\\pi^2", F),
        ("\\frac{\\pi}{3}", "60", F),
        ("e^{2}", "\\exp(2)", T),
        ("e^{2}", "e^{3}", F),
        ("\\ln 2", "\\log_{10} 2", F),
        ("x^2+2x+1", "(x+1)^2", T),
        ("x^2+2x+1", "(x+1)^3", F),
        ("x^2-1", "(x-1)(x+1)", T),
        ("x^2-1", "(x-1)^2", F),
        ("2x+3", "3+2x", T),
        ("2x+3", "2x-3", F),
        ("2x+3", "2y+3", F),
        ("\\frac{1}{x}", "x^{-1}", T),
        ("\\frac{1}{x}", "-x", F),
        ("a^2b", "ba^2", T),
        ("a^2b", "ab^2", F),
        ("\\sin^2 x + \\cos^2 x", "1", T),
        ("\\sin 2x", "2\\sin x\\cos x", T),
        ("\\sin 2x", "2\\sin x", F),
        ("n(n+1)/2", "\\frac{n^2+n}{2}", T),
        ("n(n+1)/2", "\\frac{n^2-n}{2}", F),
        ("4", "4\\sqrt{2}", F),
        ("4", "4\\sqrt(2)", F),
        ("1-\\frac{1}{e}", "1+\\frac{1}{e}", F),
        ("1-\\frac{1}{\\mathrm{e}}", "1-e^{-1}", T),
        ("3\\sqrt{3}", "\\sqrt{27}", T),
        ("3\\sqrt{3}", "\\sqrt{28}", F),
        ("\\sqrt{2}+\\sqrt{3}", "\\sqrt{5}", F),
        ("\\binom{5}{2}", "10", T),
        ("\\binom{5}{2}", "20", F),
        ("5!", "120", T),
        ("5!", "24", F),
    ],
)
add(
    "equation",
    [
        ("x=3", "3", T),
        ("x=3", "x = 3", T),
        ("x=3", "x=-3", F),
        ("y=2x+1", "y = 1 + 2x", T),
        ("y=2x+1", "y=2x-1", F),
        ("y=2x+1", "2x+1", T),
        ("x^2+y^2=1", "x^2+y^2-1=0", T),
        ("x^2+y^2=1", "0", F),
        ("x^2+y^2=1", "1", F),
        ("0", "x^2+y^2-1=0", F),
        ("0", "2x+3=0", F),
        ("0", "x=0", T),
        ("5", "a+b=5", F),
        ("a+b=5", "5", F),
        ("k=2", "k=2.0", T),
        ("k=2", "k=3", F),
        ("f(x)=x^2", "x^2", T),
        ("f(x)=x^2", "x^3", F),
        ("x=1, y=2", "x=1, y=2", T),
        ("x=1, y=2", "y=2, x=1", T),
        ("x=1, y=2", "x=2, y=1", F),
    ],
)
add(
    "inequality",
    [
        ("x>2", "x > 2", T),
        ("x>2", "2<x", T),
        ("x>2", "x \\geq 2", F),
        ("x>2", "x<2", F),
        ("x \\le 5", "x \\leq 5", T),
        ("x \\le 5", "x<5", F),
        ("-1<x<1", "(-1,1)", T),
        ("-1<x<1", "[-1,1]", F),
        ("x \\geq 0", "[0, \\infty)", T),
        ("x \\geq 0", "(0, \\infty)", F),
    ],
)
add(
    "interval",
    [
        ("(-\\infty, 3]", "(-\\infty,3]", T),
        ("(-\\infty, 3]", "(-\\infty, 3)", F),
        ("[2,5)", "[2, 5)", T),
        ("[2,5)", "(2,5)", F),
        ("[2,5)", "[2,5]", F),
        ("(0,1) \\cup (2,3)", "(2,3) \\cup (0,1)", T),
        ("(0,1) \\cup (2,3)", "(0,1) \\cup (2,4)", F),
        ("[0,\\infty)", "[0,+\\infty)", T),
        ("\\mathbb{R}", "(-\\infty,\\infty)", T),
        ("(\\frac{1}{2}, 1]", "(0.5, 1]", T),
        ("(\\frac{1}{2}, 1]", "(0.4, 1]", F),
    ],
)
add(
    "set",
    [
        ("\\{1,2,3\\}", "\\{3,1,2\\}", T),
        ("\\{1,2,3\\}", "\\{1,2\\}", F),
        ("\\{1,2,3\\}", "\\{1,2,3,4\\}", F),
        ("1, 2, 3", "3, 2, 1", T),
        ("1, 2, 3", "1, 2, 4", F),
        ("\\{-1, 1\\}", "\\pm 1", T),
        ("\\{-1, 1\\}", "1", F),
        ("2, 3", "2 \\text{ and } 3", T),
        ("2, 3", "2 \\text{ or } 3", T),
        ("\\emptyset", "\\{\\}", T),
        ("1,2,\\ldots,n", "1,3,\\ldots,2n-1", F),
        ("1,2,\\ldots,n", "1,2,\\ldots,n", T),
        ("\\pm 2", "2", F),
        ("x=\\pm 2", "x=2, x=-2", T),
        ("\\{\\sqrt{2}, -\\sqrt{2}\\}", "\\{1.414, -1.414\\}", F),
        ("\\{\\sqrt{2}, -\\sqrt{2}\\}", "\\{1.414214, -1.414214\\}", T),
    ],
)
add(
    "tuple",
    [
        ("(1,2)", "(1, 2)", T),
        ("(1,2)", "(2,1)", F),
        ("(1,2)", "\\left(1,2\\right)", T),
        ("(1,2)", "(1,2,3)", F),
        ("(3,-1)", "(3, -1)", T),
        ("(3,-1)", "(3,1)", F),
        ("(\\frac{1}{2}, 3)", "(0.5, 3)", T),
        ("(\\frac{1}{2}, 3)", "(0.5, 3.1)", F),
        ("(a,b)=(1,4)", "(1,4)", T),
        ("(a,b)=(1,4)", "(4,1)", F),
    ],
)
add(
    "matrix",
    [
        ("\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}", "\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}", T),
        ("\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}", "\\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}", F),
        ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", T),
        ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}2\\\\1\\end{pmatrix}", F),
        ("\\begin{pmatrix}\\frac{1}{2}&1\\end{pmatrix}", "\\begin{pmatrix}0.5&1\\end{pmatrix}", T),
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4.001\\end{pmatrix}", F),
    ],
)
add(
    "complex",
    [
        ("3+4i", "4i+3", T),
        ("3+4i", "3-4i", F),
        ("3+4i", "3 + 4 i", T),
        ("14-i", "14.0 + -1.0i", T),
        ("14-i", "14 + i", F),
        ("i", "\\sqrt{-1}", T),
        ("2i", "-2i", F),
        ("1+i", "\\sqrt{2}e^{i\\pi/4}", T),
        ("1+i", "\\sqrt{2}e^{-i\\pi/4}", F),
    ],
)
add(
    "units",
    [
        ("30^\\circ", "30", T),
        ("30^\\circ", "30°", T),
        ("30^\\circ", "60^\\circ", F),
        ("5 \\text{ cm}", "5", T),
        ("5 \\text{ cm}", "6 \\text{ cm}", F),
        ("\\$18.90", "18.90", T),
        ("\\$18.90", "\\$18.9", T),
        ("\\$18.90", "\\$19", F),
        ("12 \\text{ meters}", "12", T),
        ("12 \\text{ meters}", "13", F),
    ],
)
add(
    "text",
    [
        ("\\text{Monday}", "\\text{Monday}", T),
        ("\\text{Monday}", "\\text{Tuesday}", F),
        ("\\text{yes}", "\\text{no}", F),
        ("\\text{(A)}", "A", T),
        ("\\text{(A)}", "B", F),
        ("C", "\\boxed{C}", T),
        ("C", "\\textbf{(C)}", T),
        ("C", "(D)", F),
        ("B", "\\text{B}", T),
    ],
)
add(
    "plain_text",
    [
        ("\\frac{\\pi}{2}", "pi/2", T),
        ("\\frac{\\pi}{2}", "pi/3", F),
        ("e^{16}", "exp(16)", T),
        ("e^{16}", "exp(15)", F),
        ("\\sqrt{3}", "sqrt(3)", T),
        ("\\sqrt{3}", "sqrt(2)", F),
        ("5", "**5**", T),
        ("5", "**6**", F),
        ("2\\pi", "2*pi", T),
        ("2\\pi", "2*pi + 1", F),
    ],
)
add(
    "latex_variant",
    [
        ("\\frac{1}{2}", "\\left(\\frac{1}{2}\\right)", T),
        ("10", "\\boxed{10}.", T),
        ("10", "$10$", T),
        ("10", "\\(10\\)", T),
        ("10", "\\[10\\]", T),
        ("10", "\\boxed{\\,10\\,}", T),
        ("10", "\\boxed{\\displaystyle 10}", T),
        ("10", "\\fbox{10}", T),
        ("10", "\\boxed{11}", F),
        ("\\frac{1}{2}", "\\cfrac{1}{2}", T),
    ],
)
add(
    "answer_text",
    [
        ("42", "The answer is $\\boxed{42}$.", T),
        ("42", "The answer is $\\boxed{24}$.", F),
        ("42", "Therefore the final answer is 42.", T),
        ("42", "Therefore the final answer is 43.", F),
        ("\\frac{1}{2}", "So the probability is $\\frac{1}{2}$.", T),
        ("\\frac{1}{2}", "So the probability is $\\frac{1}{4}$.", F),
    ],
)
add(
    "trap",
    [
        ("(1,2)", "\\{1,2\\}", F),
        ("\\frac{1}{4}", "0.25\\%", F),
        ("1", "\\boxed{2}\\boxed{1}", F),
        ("x+1", "x+1.001", F),
        ("x+1", "x+1.0000001", F),
        ("\\infty", "-\\infty", F),
        ("10^{100}", "10^{100}+1", F),
        ("2^{-100}", "0", F),
        ("100", "99.95", F),
        ("1", "0.9999", F),
        ("1", "0.99999999", F),
        ("25", "4!", F),
        ("6", "3!", T),
        ("1", "\\cos(2\\pi)", T),
        ("0", "\\sin(\\pi)", T),
        ("2", "\\sqrt{8}", F),
        ("2", "\\sqrt[3]{8}", T),
        ("e", "2.71", F),
        ("e", "2.718", F),
        ("e", "2.71828", T),
        ("2\\sqrt{3}", "3.5", F),
        ("2\\sqrt{3}", "3.4", F),
        ("2\\sqrt{3}", "3.46", F),
        ("2\\sqrt{3}", "3.46410", T),
        ("i", "-i", F),
        ("3", "30", F),
        ("50", "0.5", F),
        ("0.25", "25", F),
        ("\\text{yes}", "\\text{no}", F),
        ("12", "12 \\text{ or } 13", F),
        ("3", "3x", F),
        ("x=2", "x=2, y=3", F),
        ("-1", "x^2 = -1", F),
        ("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", T),
        ("\\log_2 8", "3", T),
        ("ab", "ba", T),
        ("a-b", "b-a", F),
        ("1", "1^{1000}", T),
        ("2", "1^{1000}", F),
        ("\\frac{1}{2^{10}}", "\\frac{1}{1000}", F),
        ("\\frac{1}{1024}", "0.000977", F),
        ("\\frac{1}{1024}", "0.000976563", T),
        ("\\frac{1}{1024}", "0.001", F),
        ("2^{100}", "1.2676506 \\times 10^{30}", T),
        ("2^{100}", "1.27 \\times 10^{30}", F),
        ("5\\text{ cm}", "5\\text{ m}", F),
        ("5\\text{ cm}^2", "5\\text{ cm}", F),
        ("x \\neq 3", "\\mathbb{R} \\setminus \\{3\\}", T),
        ("2^{10}", "1024", T),
        ("2", "2!", T),
        ("(0,1) \\cup (2,3)", "(0,3)", F),
        ("x=2", "y=2", F),
        ("2e^{i\\pi}", "-2", T),
        ("2^{100}", "1.3 \\times 10^{30}", F),
        ("2^{100}", "2^{99}", F),
        ("100!", "99!", F),
        ("\\binom{100}{50}", "\\binom{100}{49}", F),
    ],
)

# Issue 19: each class of wrong credit and of missed format, with the near misses that must stay false.
# Answers are in the shapes model outputs use (boxed contents, final-answer lines, whole replies).
add(
    "precision",
    [
        ("\\frac23", "0.67", F),
        ("\\frac57", "0.71", F),
        ("\\sqrt2", "1.41", F),
        ("\\pi", "3.14", F),
        ("\\frac23", "0.666667", T),
        ("\\frac23", "0.666666", F),  # truncated, not rounded
        ("\\frac57", "0.714286", T),
        ("\\sqrt2", "1.41421", T),
        ("\\sqrt2", "1.414214", T),
        ("\\pi", "3.14159", T),
        ("\\pi", "3.14160", F),
        ("\\frac{1}{7}", "0.142857", T),
        ("\\frac{1}{7}", "0.14", F),
        ("\\frac{100}{3}", "33.3333", T),
        ("\\frac{100}{3}", "33.33", F),
        ("0.33", "\\frac{1}{3}", T),  # a decimal gold at its own precision
        ("3.14", "\\pi", T),
        ("1.41", "\\sqrt{2}", T),
        ("0.3", "\\frac{1}{3}", F),
        ("0.5", "\\frac{1}{3}", F),
        ("3.14", "3.14159", F),
        ("3.14159", "3.14", F),
        ("\\frac14", "0.25", T),
        ("\\frac14", "0.3", F),
        ("\\frac23", "66.67\\%", F),
        ("\\frac{x}{3}", "0.33x", F),
        ("\\sqrt{2}x", "1.41x", F),
        ("(\\frac13, \\frac12)", "(0.33, 0.5)", F),
        ("x = \\frac23", "x = 0.67", F),
        ("\\frac{2\\pi}{3}", "0.67\\pi", F),
        ("\\frac{2\\pi}{3}", "2.09", F),
        ("\\frac{2\\pi}{3}", "2.094395", T),
        ("\\{\\frac13, 1\\}", "\\{0.33, 1\\}", F),
        ("\\frac{2}{3}", "\\approx 0.67", F),
        ("\\frac{\\sqrt3}{2}", "0.866", F),
        ("\\ln 2", "0.693", F),
        ("\\ln 2", "0.693147", T),
        ("\\frac{1}{3}", "33.33\\%", F),
        ("\\frac{1}{3}", "33\\frac{1}{3}\\%", T),
        ("\\frac{22}{7}", "\\pi", F),
        ("\\pi", "\\frac{22}{7}", F),
        ("1.5", "\\frac{31}{20}", F),
    ],
)
add(
    "primes",
    [
        ("A'", "A", F),
        ("f'", "f", F),
        ("A'", "A'", T),
        ("A'B'", "AB", F),
        ("f'(x)", "f(x)", F),
        ("f'(x) = 2x", "2x", T),
        ("A^{\\prime}", "A'", T),
        ("B'", "A'", F),
    ],
)
add(
    "minerva multiple_choice",
    [
        ("\\frac{1}{2}", "Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct.", T),
        ("\\frac{1}{2}", "Final Answer: The final answer is $\\frac{1}{3}$. I hope it is correct.", F),
        ("12", "Final Answer: The final answer is $12$. I hope it is correct.", T),
        ("D", "Answer: D", T),
        ("D", "Answer: C", F),
        ("D", "答案：D", T),
        ("D", "答案：B", F),
        ("D", "\\mathcal{D}", T),
        ("D", "\\mathcal{C}", F),
        ("D", "\\mathbf{D}", T),
        ("B", "(B)", T),
        ("B", "\\text{(B)}", T),
        ("B", "B. 45 degrees", T),
        ("B", "C. 45 degrees", F),
    ],
)
add(
    "units words",
    [
        ("3", "3 dollars", T),
        ("3", "4 dollars", F),
        ("3", "3 apples", T),
        ("12", "12 marbles", T),
        ("12", "13 marbles", F),
        ("5\\text{ cm}", "5 meters", F),
        ("3", "3 or more", F),
        ("2", "2 times", F),
        ("3", "3 hundred", F),
        ("3", "3 squared", F),
        ("2", "2 halves", F),
        ("3", "3 pi", F),
        ("5\\text{ km}", "5 km", T),
        ("5\\text{ km}", "5 kg", F),
    ],
)
add(
    "number_format mixed",
    [
        ("2.25", "2 1/4", T),
        ("\\frac{9}{4}", "2 1/4", T),
        ("2.25", "2 1/5", F),
        ("-\\frac{9}{4}", "-2 1/4", T),
        ("\\frac14", "2 1/4", F),
        ("x = 12", "x = \\textbf{12}", T),
        ("x = 12", "x = \\textbf{13}", F),
        ("12", "\\mathbf{12}", T),
    ],
)
add(
    "time",
    [
        ("9:05", "09:05:00", T),
        ("9:05", "9:05 A.M.", T),
        ("9:05", "9:05 a.m.", T),
        ("21:05", "9:05 P.M.", T),
        ("9:05", "9:05 P.M.", F),
        ("9:05", "9:06", F),
        ("12:00", "12:00 p.m.", T),
        ("0:30", "12:30 a.m.", T),
        ("7:32", "7:32", T),
    ],
)
add(
    "set empty",
    [
        ("\\emptyset", "\\varnothing", T),
        ("\\emptyset", "\\{\\}", T),
        ("\\emptyset", "∅", T),
        ("\\emptyset", "\\{0\\}", F),
        ("\\varnothing", "0", F),
    ],
)
add(
    "inequality interval",
    [
        ("x \\in [-1, 3]", "-1 \\le x \\le 3", T),
        ("[-1, 3]", "-1 \\leq x \\leq 3", T),
        ("[-1, 3]", "-1 < x \\le 3", F),
        ("(-1, 3]", "-1 < x \\le 3", T),
        ("(2, \\infty)", "x > 2", T),
        ("[2, \\infty)", "x > 2", F),
        ("(-\\infty, 5)", "x < 5", T),
        ("(-\\infty, -2) \\cup (2, \\infty)", "x < -2 \\text{ or } x > 2", T),
        ("(-\\infty, -2) \\cup (2, \\infty)", "x < -2 \\text{ or } x > 3", F),
        ("x \\ge 3", "[3, \\infty)", T),
        ("x \\ge 3", "(3, \\infty)", F),
    ],
)
add(
    "repeating_decimal",
    [
        ("\\frac23", "0.\\overline{6}", T),
        ("\\frac13", "0.\\overline{3}", T),
        ("\\frac16", "0.1\\overline{6}", T),
        ("\\frac{1}{7}", "0.\\overline{142857}", T),
        ("\\frac23", "0.\\overline{3}", F),
        ("\\frac23", "0.6", F),
        ("1", "0.\\overline{9}", T),
    ],
)
add(
    "complex",
    [
        ("2i", "\\sqrt{-4}", T),
        ("i", "\\sqrt{-1}", T),
        ("3i", "\\sqrt{-4}", F),
        ("i\\sqrt{3}", "\\sqrt{-3}", T),
        ("1+2i", "1+\\sqrt{-4}", T),
        ("1+i", "\\sqrt{2}e^{i\\pi/4}", T),
        ("1-i", "\\sqrt{2}e^{i\\pi/4}", F),
        ("-2", "2e^{i\\pi}", T),
        ("2", "2e^{i\\pi}", F),
    ],
)
add(
    "trig",
    [
        ("\\cos x", "\\sin(90^\\circ - x)", T),
        ("\\sin x", "\\sin(90^\\circ - x)", F),
        ("\\frac{\\sqrt{3}}{2}", "\\sin(60^\\circ)", T),
        ("\\frac{1}{2}", "\\sin 30^\\circ", T),
        ("\\frac{1}{2}", "\\cos 30^\\circ", F),
        ("30^\\circ", "30", T),
    ],
)
add(
    "equation function",
    [
        ("y = 2x+1", "f(x) = 2x+1", T),
        ("y = 2x+1", "f(x) = 2x-1", F),
        ("f(x) = x^2", "g(x) = x^2", T),
        ("y = 2x+1", "2x+1", T),
        ("x = 2y+1", "y = 2x+1", F),
        ("x = 2y", "z = 2y", F),  # a value of x, not a function named x
    ],
)
add(
    "matrix vector",
    [
        ("(1,2)", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", T),
        ("[1,2]", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", T),
        ("(1,2,3)", "\\begin{bmatrix} 1 \\\\ 2 \\\\ 3 \\end{bmatrix}", T),
        ("(1,2)", "\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}", F),
        ("(1,2)", "\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}", F),
        ("\\begin{pmatrix} \\frac12 \\\\ 2 \\end{pmatrix}", "(0.5, 2)", T),
        ("\\langle 1, 2 \\rangle", "(1, 2)", T),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "(1, 2, 3, 4)", F),
    ],
)
add(
    "prose_gold",
    [
        ("Answer is 7.0", "7", T),
        ("Answer is 7.0", "8", F),
        ("The answer is 12", "12", T),
        ("Natalia sold 48/2 = 24 clips in May.\n#### 72", "72", T),
        ("Natalia sold 48/2 = 24 clips in May.\n#### 72", "24", F),
        ("So the total area is $\\boxed{18}$ square units, as computed above.", "18", T),
        ("So the total area is $\\boxed{18}$ square units, as computed above.", "81", F),
    ],
)
add(
    "reply",
    [
        ("5", "<think>the answer is 5</think> The answer is 3.", F),
        ("5", "<think>Maybe 3? No: the answer is 5.</think> \\boxed{5}", T),
        ("5", "<think>I get 5</think>", F),
        ("5", "<think>so 5</think><answer>5</answer>", T),
    ],
)


# Whole replies, in the shapes models produce, for `referee verify` (which reads a reply as the
# accuracy reward does). The reasoning is long and full of other numbers, as real reasoning is.
def _reasoning(n: int) -> str:
    steps = [
        f"Step {i}: we have {i * 7 % 13} + {i} = {i * 7 % 13 + i}, so try x = {i + 2}." for i in range(n)
    ]
    return "\n".join(steps)


THINK = _reasoning(60)  # ~3.5 kB
REPLY_ROWS: list[tuple[str, str, bool, list[str]]] = []


def reply(tags: str, rows: list[tuple[str, str, bool]]) -> None:
    REPLY_ROWS.extend((g, p, e, tags.split()) for g, p, e in rows)


reply(
    "r1",
    [
        ("5", f"<think>\n{THINK}\nSo the answer is 5.\n</think>\nThe answer is $\\boxed{{5}}$.", T),
        ("5", f"<think>\n{THINK}\nSo the answer is 5.\n</think>\nThe answer is $\\boxed{{3}}$.", F),
        ("5", f"<think>\n{THINK}\nThe answer is 5.\n</think>", F),  # only inside the reasoning
        ("5", f"<think>\n{THINK}\nThe answer is 5.\n", F),  # never closes (truncated)
        ("5", f"<think>\n{THINK}\n</think>\n<answer>5</answer>", T),
        ("5", f"<think>\n{THINK}\n</think>\n<answer>\\boxed{{5}}</answer>", T),
        ("5", f"<think>\n{THINK}\n</think>\n<answer>3</answer><answer>5</answer>", F),  # hedge
        ("5", f"<think>\n{THINK}\n</think>\n\\boxed{{3}} or \\boxed{{5}}", F),  # hedge
        ("\\frac{2}{3}", f"<think>\n{THINK}\n</think>\nSo $p = \\boxed{{\\dfrac{{2}}{{3}}}}$.", T),
        ("\\frac{2}{3}", f"<think>\n{THINK}\n</think>\nSo $p \\approx \\boxed{{0.67}}$.", F),
        ("\\frac{2}{3}", f"<think>\n{THINK}\n</think>\nSo $p \\approx \\boxed{{0.666667}}$.", T),
        ("(1, 2]", f"<think>\n{THINK}\n</think>\nThe solution set is $\\boxed{{1 < x \\le 2}}$.", T),
        ("(1, 2]", f"<think>\n{THINK}\n</think>\nThe solution set is $\\boxed{{1 \\le x \\le 2}}$.", F),
        ("12", f"<think>\n{THINK}\n</think>\nShe has $\\boxed{{12 \\text{{ apples}}}}$.", T),
        ("12", f"<think>\n{THINK}\n</think>\n**Final Answer:** 12", T),
        ("12", f"<think>\n{THINK}\n</think>\n**Final Answer:** 13", F),
    ],
)
reply(
    "minerva",
    [
        (
            "\\frac{1}{2}",
            f"{THINK}\nFinal Answer: The final answer is $\\frac{{1}}{{2}}$. I hope it is correct.",
            T,
        ),
        (
            "\\frac{1}{2}",
            f"{THINK}\nFinal Answer: The final answer is $\\frac{{1}}{{3}}$. I hope it is correct.",
            F,
        ),
        ("72", f"{THINK}\nFinal Answer: The final answer is $72$. I hope it is correct.", T),
        ("72", f"{THINK}\nFinal Answer: The final answer is 72. I hope it is correct.", T),
        ("72", f"{THINK}\nFinal Answer: The final answer is 27. I hope it is correct.", F),
        ("(2,3)", f"{THINK}\nFinal Answer: The final answer is $(2,3)$. I hope it is correct.", T),
    ],
)
reply(
    "multiple_choice",
    [
        ("D", f"{THINK}\nA is wrong since step 3 fails. B and C are too small.\nAnswer: D", T),
        ("D", f"{THINK}\nA is wrong since step 3 fails. B and C are too small.\nAnswer: C", F),
        ("D", f"<think>\n{THINK}\nMaybe B?\n</think>\nThe answer is (D).", T),
        ("D", f"<think>\n{THINK}\nIt is D.\n</think>\nThe answer is (B).", F),
        ("D", f"<think>\n{THINK}\n</think>\n\\boxed{{\\mathcal{{D}}}}", T),
        ("D", f"<think>\n{THINK}\n</think>\n\\boxed{{D. 45^\\circ}}", T),
        ("D", f"<think>\n{THINK}\n</think>\n\\boxed{{A}}", F),
        ("D", "分析：选项A、B、C都不满足条件。\n答案：D", T),
        ("D", "分析：选项A、B、C都不满足条件。\n答案：B", F),
        ("D", "分析：选项A、B、C都不满足条件。\n最终答案是 D", T),
    ],
)
reply(
    "gsm8k",
    [
        (
            "72",
            f"{THINK}\nNatalia sold 48 + 24 = 72 clips.\n#### 72",
            T,
        ),  # GSM8K's answer line, as verl reads it
        ("72", f"{THINK}\nNatalia sold 48 + 24 = 70 clips.\n#### 70", F),
        ("72", f"{THINK}\nNatalia sold 48 + 24 = 72 clips.\nThe answer is 72.", T),
        ("72", f"{THINK}\nNatalia sold 48 + 24 = 72 clips.\nThe answer is \\$72.", T),
        ("72", f"{THINK}\nThe answer is 72 clips.", T),
        ("72", f"{THINK}\nThe answer is 70 clips.", F),
    ],
)

# math-verify's test asserts these are not *extracted* ($…$ spanning newlines); the text does
# state 9, and labels here are mathematical truth (like the 1-1/e case in the public file)
FLIPPED = {("$9$", "Answer $ \n 9 \n $"), ("$9$", "Answer \\( \n 9 \n \\)")}


def main() -> None:
    rows = []
    for line in PUBLIC.read_text().splitlines():
        r = json.loads(line)
        row = {
            "gold": r["gold"],
            "pred": r["pred"],
            "expected": r["expected"],
            "tags": r.get("tags", []),
            "source": r["source"],
        }
        if (r["gold"], r["pred"]) in FLIPPED:
            row["expected"] = True
            row["note"] = (
                "label flipped to mathematical truth: the text states 9 (math-verify's test checks $…$ over newlines)"
            )
        if "note" in r:
            row["note"] = r["note"]
        rows.append(row)
    seen = {(r["gold"], r["pred"]) for r in rows}
    for gold, pred, expected, tags in HAND:
        if (gold, pred) in seen:
            continue
        seen.add((gold, pred))
        rows.append(
            {"gold": gold, "pred": pred, "expected": expected, "tags": tags, "source": "referee hand-made"}
        )
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} rows ({len(HAND)} hand-made) -> {OUT.relative_to(ROOT)}")
    replies = [
        {"gold": g, "pred": p, "expected": e, "tags": t, "source": "referee hand-made reply"}
        for g, p, e, t in REPLY_ROWS
    ]
    REPLIES.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in replies))
    print(f"{len(replies)} whole replies -> {REPLIES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
