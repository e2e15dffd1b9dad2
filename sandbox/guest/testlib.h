// referee's testlib-compatible checker header: the checker API of Codeforces' testlib (its
// names, argument order and exit codes), written for referee, so that checkers written against
// testlib compile and judge here. Not testlib itself: it covers what checkers use (the three
// streams, read*/seek*/eof, quitf/ensuref, doubleCompare), not generators or validators.
//
//   checker <input> <output> <answer>     exit 0 ok, 1 wrong answer, 2 presentation error,
//                                          3 checker failure (cannot score), 7 points
//
// A read that fails on the contestant's output is a presentation error (_pe), a value out of
// the asked range a wrong answer (_wa); on the input or the answer both are checker failures.
#ifndef REFEREE_TESTLIB_H
#define REFEREE_TESTLIB_H

// what testlib.h includes, so checkers that lean on it compile
#include <algorithm>
#include <array>
#include <bitset>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <climits>
#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <stack>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

enum TResult { _ok = 0, _wa = 1, _pe = 2, _fail = 3, _dirt = 4, _points = 7, _unexpected_eof = 8, _partially = 16 };
enum TMode { _input, _output, _answer };

inline std::string vformat_(const char* fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    std::string out(n > 0 ? n : 0, '\0');
    if (n > 0) std::vsnprintf(&out[0], out.size() + 1, fmt, ap);
    return out;
}

inline std::string format(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::string s = vformat_(fmt, ap);
    va_end(ap);
    return s;
}

inline std::string testlibName_;

[[noreturn]] inline void quit(TResult result, const std::string& message) {
    static const char* names[] = {"ok", "wrong answer", "wrong output format", "FAIL"};
    const char* name = result >= 0 && result <= 3 ? names[result] : (result == _points ? "points" : "verdict");
    std::fprintf(stderr, "%s %s\n", name, message.c_str());
    std::fflush(stdout);
    std::exit(result == _unexpected_eof ? _pe : result);
}

[[noreturn]] inline void quitf(TResult result, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::string s = vformat_(fmt, ap);
    va_end(ap);
    quit(result, s);
}

[[noreturn]] inline void quitp(double points, const char* fmt = "", ...) {
    va_list ap;
    va_start(ap, fmt);
    std::string s = vformat_(fmt, ap);
    va_end(ap);
    quit(_points, format("%.9f ", points) + s);
}

#define quitif(cond, result, ...)           \
    do {                                    \
        if (cond) quitf(result, __VA_ARGS__); \
    } while (0)

inline void setName(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    testlibName_ = vformat_(fmt, ap);
    va_end(ap);
}

#define ensuref(cond, ...)                                                          \
    do {                                                                            \
        if (!(cond)) quit(_fail, std::string("ensure failed: ") + format(__VA_ARGS__)); \
    } while (0)
#define ensure(cond) ensuref(cond, "%s", #cond)

struct InStream {
    std::string data, name;
    size_t pos = 0;
    TMode mode = _input;
    bool strict = false;

    void init(const char* path, TMode m) {
        mode = m;
        name = m == _input ? "input" : m == _output ? "output" : "answer";
        FILE* f = std::fopen(path, "rb");
        if (!f) quit(m == _output ? _pe : _fail, format("cannot open the %s file %s", name.c_str(), path));
        char buf[1 << 16];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
        std::fclose(f);
    }

    [[noreturn]] void quit(TResult result, const std::string& message) const {
        // the contestant's output decides wa/pe; a bad input or answer file is the checker's fault
        ::quit(mode == _output ? result : _fail, message + (mode == _output ? "" : " (in the " + name + " file)"));
    }
    [[noreturn]] void quitf(TResult result, const char* fmt, ...) const {
        va_list ap;
        va_start(ap, fmt);
        std::string s = vformat_(fmt, ap);
        va_end(ap);
        quit(result, s);
    }

    static bool blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
    int curChar() const { return pos < data.size() ? (unsigned char)data[pos] : EOF; }
    int nextChar() { return pos < data.size() ? (unsigned char)data[pos++] : EOF; }
    void skipChar() { if (pos < data.size()) ++pos; }
    void skipBlanks() { while (pos < data.size() && blank(data[pos])) ++pos; }
    bool eof() const { return pos >= data.size(); }
    bool seekEof() { skipBlanks(); return eof(); }
    bool eoln() const { return pos < data.size() && (data[pos] == '\n' || data[pos] == '\r'); }
    bool seekEoln() {
        while (pos < data.size() && (data[pos] == ' ' || data[pos] == '\t')) ++pos;
        return eof() || eoln();
    }
    void nextLine() {
        while (pos < data.size() && data[pos] != '\n') ++pos;
        if (pos < data.size()) ++pos;
    }
    void readEoln() {
        if (pos < data.size() && data[pos] == '\r') ++pos;
        if (pos >= data.size() || data[pos] != '\n') quit(_pe, "expected end of line");
        ++pos;
    }
    void readEof() {
        if (!eof()) quit(_pe, "expected end of file");
    }
    void readSpace() { readChar(' '); }
    char readChar() {
        if (eof()) quit(_unexpected_eof, "unexpected end of file, expected a character");
        return data[pos++];
    }
    char readChar(char c) {
        char got = readChar();
        if (got != c) quitf(_pe, "expected '%c', found '%c'", c, got);
        return got;
    }

    std::string readToken() {
        skipBlanks();
        if (eof()) quit(_unexpected_eof, "unexpected end of file, expected a token");
        size_t start = pos;
        while (pos < data.size() && !blank(data[pos])) ++pos;
        return data.substr(start, pos - start);
    }
    std::string readWord() { return readToken(); }
    std::string readToken(const std::string&, const std::string& = "") { return readToken(); }
    std::string readWord(const std::string&, const std::string& = "") { return readToken(); }
    std::string readLine() {
        if (eof()) quit(_unexpected_eof, "unexpected end of file, expected a line");
        size_t start = pos;
        while (pos < data.size() && data[pos] != '\n') ++pos;
        std::string line = data.substr(start, pos - start);
        if (pos < data.size()) ++pos;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    std::string readString() { return readLine(); }
    void readTokenTo(std::string& out) { out = readToken(); }
    void readWordTo(std::string& out) { out = readToken(); }
    void readLineTo(std::string& out) { out = readLine(); }
    void readStringTo(std::string& out) { out = readLine(); }
    std::string readLine(const std::string&, const std::string& = "") { return readLine(); }
    std::string readString(const std::string&, const std::string& = "") { return readLine(); }

    long long readLong() {
        std::string t = readToken();
        const char* s = t.c_str();
        size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
        bool digits = i < t.size() && std::all_of(t.begin() + i, t.end(), [](char c) { return std::isdigit((unsigned char)c); });
        if (!digits || t.size() - i > 19) quitf(_pe, "expected an integer, found \"%s\"", t.substr(0, 64).c_str());
        errno = 0;
        char* end = nullptr;
        long long v = std::strtoll(s, &end, 10);
        if (errno == ERANGE) quitf(_pe, "integer \"%s\" does not fit in 64 bits", t.c_str());
        return v;
    }
    long long readLong(long long lo, long long hi, const std::string& what = "") {
        long long v = readLong();
        if (v < lo || v > hi) quitf(_wa, "%s%s%lld is not in [%lld, %lld]", what.c_str(), what.empty() ? "" : " = ", v, lo, hi);
        return v;
    }
    unsigned long long readUnsignedLong() {
        std::string t = readToken();
        if (t.empty() || !std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit((unsigned char)c); }))
            quitf(_pe, "expected an unsigned integer, found \"%s\"", t.substr(0, 64).c_str());
        errno = 0;
        unsigned long long v = std::strtoull(t.c_str(), nullptr, 10);
        if (errno == ERANGE) quitf(_pe, "integer \"%s\" does not fit in 64 bits", t.c_str());
        return v;
    }
    int readInt() {
        long long v = readLong();
        if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
            quitf(_pe, "integer %lld does not fit in 32 bits", v);
        return (int)v;
    }
    int readInt(int lo, int hi, const std::string& what = "") { return (int)readLong(lo, hi, what); }
    double readDouble() {
        std::string t = readToken();
        char* end = nullptr;
        double v = std::strtod(t.c_str(), &end);
        if (t.empty() || *end != '\0' || std::isnan(v) || std::isinf(v))
            quitf(_pe, "expected a number, found \"%s\"", t.substr(0, 64).c_str());
        return v;
    }
    double readDouble(double lo, double hi, const std::string& what = "") {
        double v = readDouble();
        if (v < lo || v > hi) quitf(_wa, "%s%s%g is not in [%g, %g]", what.c_str(), what.empty() ? "" : " = ", v, lo, hi);
        return v;
    }
    double readReal() { return readDouble(); }
    double readReal(double lo, double hi, const std::string& what = "") { return readDouble(lo, hi, what); }

    std::vector<int> readInts(int n, int lo, int hi, const std::string& what = "") {
        std::vector<int> v(n);
        for (auto& x : v) x = readInt(lo, hi, what);
        return v;
    }
    std::vector<int> readInts(int n) {
        std::vector<int> v(n);
        for (auto& x : v) x = readInt();
        return v;
    }
    std::vector<long long> readLongs(int n, long long lo, long long hi, const std::string& what = "") {
        std::vector<long long> v(n);
        for (auto& x : v) x = readLong(lo, hi, what);
        return v;
    }
    std::vector<long long> readLongs(int n) {
        std::vector<long long> v(n);
        for (auto& x : v) x = readLong();
        return v;
    }
    std::vector<double> readDoubles(int n) {
        std::vector<double> v(n);
        for (auto& x : v) x = readDouble();
        return v;
    }
    std::vector<std::string> readTokens(int n) {
        std::vector<std::string> v(n);
        for (auto& x : v) x = readToken();
        return v;
    }
    std::vector<std::string> readWords(int n) { return readTokens(n); }
    std::vector<std::string> readLines(int n) {
        std::vector<std::string> v(n);
        for (auto& x : v) x = readLine();
        return v;
    }
};

inline InStream inf, ouf, ans;

inline void registerTestlibCmd(int argc, char* argv[]) {
    if (argc < 4) quit(_fail, "usage: checker <input> <output> <answer>");
    inf.init(argv[1], _input);
    ouf.init(argv[2], _output);
    ans.init(argv[3], _answer);
}
inline void registerTestlib(int argc, char* argv[]) { registerTestlibCmd(argc, argv); }

inline bool doubleCompare(double expected, double result, double maxError) {
    if (std::isnan(expected) || std::isnan(result)) return std::isnan(expected) && std::isnan(result);
    if (std::isinf(expected) || std::isinf(result)) return expected == result;
    double delta = std::fabs(expected - result);
    return delta <= maxError + 1e-15 || delta <= maxError * std::fabs(expected) + 1e-15;
}
inline double doubleDelta(double expected, double result) {
    double absolute = std::fabs(expected - result);
    return std::fabs(expected) > 1e-9 ? std::min(absolute, absolute / std::fabs(expected)) : absolute;
}

inline std::string englishEnding(int x) {
    x %= 100;
    if (x / 10 == 1) return "th";
    return x % 10 == 1 ? "st" : x % 10 == 2 ? "nd" : x % 10 == 3 ? "rd" : "th";
}
template <typename T>
inline std::string vtos(const T& t) { return std::to_string(t); }
inline std::string vtos(const std::string& t) { return t; }
template <typename T>
inline std::string toString(const T& t) { return vtos(t); }
inline std::string upperCase(std::string s) {
    for (auto& c : s) c = (char)std::toupper((unsigned char)c);
    return s;
}
inline std::string lowerCase(std::string s) {
    for (auto& c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}
inline std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
inline std::string compress(const std::string& s) { return s.size() <= 64 ? s : s.substr(0, 30) + "..." + s.substr(s.size() - 30); }

#endif
