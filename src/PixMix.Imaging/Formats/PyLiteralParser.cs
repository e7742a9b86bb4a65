using System.Globalization;

namespace PixMix.Imaging.Formats;

/// <summary>
/// Parses the small subset of Python literals found in .npy headers: dicts, tuples, lists, quoted strings,
/// integers, True, False and None. Lists become <see cref="List{T}"/>, tuples <see cref="PyTuple"/>. Nesting is bounded, so hostile headers cannot exhaust the stack.
/// Errors are <see cref="FormatException"/>.
/// </summary>
internal sealed class PyLiteralParser
{
    private const int MaxDepth = 32;

    private readonly string _text;
    private int _pos;

    public PyLiteralParser(string text) => _text = text;

    public object? ParseWhole()
    {
        var value = ParseValue(0);
        SkipSpace();
        if (_pos != _text.Length) throw Error("unexpected text after the literal");
        return value;
    }

    private FormatException Error(string what) => new($"{what} at character {_pos}");

    private void SkipSpace()
    {
        while (_pos < _text.Length && (_text[_pos] is ' ' or '\t' or '\n' or '\r' or '\0')) _pos++;
    }

    private char Peek()
    {
        SkipSpace();
        if (_pos >= _text.Length) throw Error("unexpected end of header");
        return _text[_pos];
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw Error($"expected '{c}'");
        _pos++;
    }

    private object? ParseValue(int depth)
    {
        if (depth > MaxDepth) throw Error("nesting too deep");
        char c = Peek();
        switch (c)
        {
            case '{': return ParseDict(depth);
            case '(': return ParseSequence(depth, ')', tuple: true);
            case '[': return ParseSequence(depth, ']', tuple: false);
            case '\'':
            case '"': return ParseString();
        }
        if (c == '-' || c == '+' || char.IsAsciiDigit(c)) return ParseInteger();
        if (char.IsAsciiLetter(c))
        {
            int start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var word = _text[start.._pos];
            return word switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                _ => throw Error($"unknown name '{(word.Length > 20 ? word[..20] + "..." : word)}'"),
            };
        }
        throw Error($"unexpected character '{c}'");
    }

    private Dictionary<string, object?> ParseDict(int depth)
    {
        Expect('{');
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            if (Peek() == '}') { _pos++; return dict; }
            if (ParseValue(depth + 1) is not string key) throw Error("dict key is not a string");
            Expect(':');
            var value = ParseValue(depth + 1);
            if (!dict.TryAdd(key, value)) throw Error($"duplicate key '{key}'");
            char next = Peek();
            if (next == ',') { _pos++; continue; }
            if (next == '}') { _pos++; return dict; }
            throw Error("expected ',' or '}'");
        }
    }

    private List<object?> ParseSequence(int depth, char close, bool tuple)
    {
        _pos++;
        var items = tuple ? new PyTuple() : new List<object?>();
        while (true)
        {
            if (Peek() == close) { _pos++; return items; }
            items.Add(ParseValue(depth + 1));
            char next = Peek();
            if (next == ',') { _pos++; continue; }
            if (next == close) { _pos++; return items; }
            throw Error($"expected ',' or '{close}'");
        }
    }

    private string ParseString()
    {
        char quote = _text[_pos++];
        int start = _pos;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\') throw Error("escape sequences are not supported in header strings");
            _pos++;
        }
        if (_pos >= _text.Length) throw Error("unterminated string");
        var s = _text[start.._pos];
        _pos++;
        return s;
    }

    private long ParseInteger()
    {
        int start = _pos;
        if (_text[_pos] is '-' or '+') _pos++;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        var digits = _text.AsSpan(start, _pos - start);
        if (_pos < _text.Length && _text[_pos] == 'L') _pos++; // Python 2 long suffix, written by old numpy
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error($"'{(digits.Length > 24 ? digits[..24].ToString() + "..." : digits.ToString())}' is not a 64-bit integer");
        return value;
    }
}
