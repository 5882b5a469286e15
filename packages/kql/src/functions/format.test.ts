import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fails, overT, refused, values } from '../../test/functions-harness.ts';

test('format_datetime with .NET-style specifiers', async () => {
  const dt = 'datetime(2017-01-29 09:00:05.1234567)';
  assert.deepEqual(await values(`format_datetime(${dt}, "yy-MM-dd [HH:mm:ss]")`, `format_datetime(${dt}, "yy-MM-dd [hh:mm:ss tt]")`, `format_datetime(${dt}, "yyyy-M-d H:m:s.fff")`, `format_datetime(datetime(2017-01-29 21:00:05), "h tt yyyy.FFF")`, `format_datetime(${dt}, "ddd MMM dd, yyyy ffffff")`, `format_datetime(${dt}, "'at' HH\\\\h")`),
    ['17-01-29 [09:00:05]', '17-01-29 [09:00:05 AM]', '2017-1-29 9:0:5.123', '9 PM 2017', 'Sun Jan 29, 2017 123456', 'at 09h']);
  assert.deepEqual(await overT('format_datetime(t, "yyyy")'), ['2024', ''], 'a null datetime formats as ""');
  await fails('print format_datetime(now(), "yyyy%")');
  await fails('T | project format_datetime(t, s)');
  await refused('print format_datetime(now(), "yyyy zzz")', /'z'/);
});

test('format_timespan', async () => {
  const t = 'time(29.09:00:05.12345)';
  assert.deepEqual(await values(`format_timespan(${t}, "dd.hh:mm:ss:FF")`, `format_timespan(${t}, "ddd.h:mm:ss [fffffff]")`, 'format_timespan(-1h, "hh:mm")', 'format_timespan(time(00:00:01), "ss.FFF")'),
    ['29.09:00:05:12', '029.9:00:05 [1234500]', '-01:00', '01']);
  await refused('print format_timespan(1h, "yy")', /'y'/);
});
