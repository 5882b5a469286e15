import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fails, overT, refused, values } from '../../test/functions-harness.ts';

test('length, case and concatenation; other types go through tostring', async () => {
  assert.deepEqual(await values('strlen("⒦⒰⒮⒯⒪")', 'string_size("⒦⒰⒮⒯⒪")', 'toupper("abc")', 'tolower("ÀB")', 'strcat("a", 1, 2.5, true)', 'strcat_delim("-", 1, "2", 1s)'),
    [5, 15, 'ABC', 'àb', 'a12.5true', '1-2-00:00:01']);
  assert.deepEqual(await overT('strlen(s)'), [11, 0], 'a null string is ""');
  assert.deepEqual(await overT('strcat(s, "!")'), ['Hello World!', '!']);
});

test('substring counts from zero, and from the end when negative', async () => {
  assert.deepEqual(await values('substring("123456", 1)', 'substring("123456", 2, 2)', 'substring("123456", -2, 2)', 'substring("abc", 10)', 'substring("abc", 1, -1)'),
    ['23456', '34', '56', '', '']);
  assert.deepEqual(await overT('substring(s, n)'), ['', ''], 'start past the end, and null arguments, give ""');
});

test('split, with an index that may be out of range', async () => {
  assert.deepEqual(await values('split("aa_bb", "_")', 'split("aaa_bbb_ccc", "_", 1)', 'split("", "_")', 'split("a__b", "_")', 'split("a_b", "_", 5)', 'split("a_b", "_", -1)'),
    [['aa', 'bb'], ['bbb'], [''], ['a', '', 'b'], [], []]);
});

test('strcat_array, strcmp, strrep, reverse', async () => {
  assert.deepEqual(await values('strcat_array(dynamic([1, "a", null, 2.5]), ",")', 'strcmp("abc", "ABC")', 'strcmp("a", "a")', 'strrep("ab", 3)', 'strrep(12, 2, ".")', 'strrep("x", 0)', 'reverse(123)'),
    ['1,a,,2.5', 1, 0, 'ababab', '12.12', '', '321']);
});

test('countof: plain matches overlap, regex matches do not', async () => {
  assert.deepEqual(await values('countof("aaaa", "aa")', 'countof("ababa", "aba")', 'countof("ababa", "aba", "regex")', 'countof("abc1234abcd1234", "[0-9]+", "regex")', 'countof("abc", "")'),
    [3, 2, 1, 2, 0]);
  await fails('print countof("a", "a", "other")');
});

test('replace_string, replace_strings (one pass, first lookup wins at a position), translate', async () => {
  assert.deepEqual(await values(
    'replace_string("A cat and a cat", "cat", "dog")',
    'replace_strings("A magic trick can turn a cat into a dog", dynamic(["cat", "dog"]), dynamic(["dog", "pigeon"]))',
    'replace_strings("This is it", dynamic(["This", "is"]), dynamic([12345, "was"]))',
    'translate("abc", "x", "abc")', 'translate("abc", "", "ab")', 'translate("krasp", "otsku", "spark")'),
  ['A dog and a dog', 'A magic trick can turn a dog into a pigeon', 'This was it', 'xxx', '', 'kusto']);
  await refused('T | project replace_strings(s, d, d)', /replace_strings/);
});

test('indexof with start and length; an occurrence other than 1 is refused', async () => {
  assert.deepEqual(await values('indexof("abcdefg", "cde")', 'indexof("abcdefg", "cde", 1, 4)', 'indexof("abcdefg", "cde", 1, 2)', 'indexof("abcdefg", "cde", 3, 4)', 'indexof("abcdefg", "cde", -5)', 'indexof(1234567, 5, 1, 4)', 'indexof("abcdefg", "cde", 2, -1)', 'indexof("abc", "x")', 'indexof("abc", "a", 0, -2)'),
    [2, 2, -1, -1, 2, 4, 2, -1, null]);
  await refused('print indexof("abcabc", "c", 0, -1, 2)', /occurrence/);
});

test('url and base64 encodings', async () => {
  assert.deepEqual(await values('url_encode("https://www.bing.com/hello world")', 'url_encode_component("a b/c")', 'url_decode("https%3a%2f%2fwww.bing.com%2f")', 'url_decode("a+b%2B%zz")'),
    ['https%3a%2f%2fwww.bing.com%2fhello+world', 'a%20b%2Fc', 'https://www.bing.com/', 'a b+%zz']);
  assert.deepEqual(await values('base64_encode_tostring("Kusto")', 'base64_decode_tostring("S3VzdG8=")', 'base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")', 'base64_decode_tostring("not base64!")', 'base64_decode_toarray("AQI=")', 'base64_encode_fromarray(dynamic([1, 2]))'),
    ['S3VzdG8=', 'Kusto', '', '', [1, 2], 'AQI=']);
  assert.deepEqual(await values('base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))', 'base64_decode_toguid("8jMxriJurkmwahbmqbIS6w==")'),
    ['8jMxriJurkmwahbmqbIS6w==', 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb']);
});

test('code points and bytes', async () => {
  assert.deepEqual(await values('unicode_codepoints_from_string("Kö")', 'unicode_codepoints_to_string(75, 117)', 'unicode_codepoints_to_string(dynamic([75, 117]), 115)', 'make_string(75)', 'to_utf8("€")', 'isascii("abc")', 'isascii("é")'),
    [[75, 246], 'Ku', 'Kus', 'K', [226, 130, 172], true, false]);
});

test('a named argument of a function of repeatable parameters is a label only (strcat(a, Status = b))', async () => {
  assert.deepEqual(await values('strcat("a", ";", Status = "b")', 'case(success = true, "Success", "Failure")'), ['a;b', 'Success']);
});
