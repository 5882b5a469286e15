import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fails, overT, values } from '../../test/functions-harness.ts';

const dt = 'datetime(2017-01-01 10:10:17)';

test('start and end of periods, with offsets; weeks start on Sunday', async () => {
  assert.deepEqual(await values(`startofday(${dt})`, `startofday(${dt}, -1)`, `startofweek(${dt})`, `startofweek(datetime(2025-06-14), 1)`, `startofmonth(${dt}, 2)`, `startofyear(${dt}, -1)`),
    ['2017-01-01T00:00:00.000Z', '2016-12-31T00:00:00.000Z', '2017-01-01T00:00:00.000Z', '2025-06-15T00:00:00.000Z', '2017-03-01T00:00:00.000Z', '2016-01-01T00:00:00.000Z']);
  assert.deepEqual(await values(`tostring(endofday(${dt}, -1))`, `tostring(endofweek(${dt}, 1))`, `tostring(endofmonth(datetime(2024-02-10)))`, `tostring(endofyear(${dt}))`),
    ['2016-12-31T23:59:59.9999990Z', '2017-01-14T23:59:59.9999990Z', '2024-02-29T23:59:59.9999990Z', '2017-12-31T23:59:59.9999990Z'], 'the last microsecond: datetimes keep µs');
  assert.deepEqual(await overT('startofday(t)'), ['2024-02-29T00:00:00.000Z', null]);
});

test('parts of a datetime', async () => {
  const d = 'datetime(2017-10-30 01:02:03.7654321)';
  assert.deepEqual(await values(`datetime_part("year", ${d})`, `datetime_part("Quarter", ${d})`, `datetime_part("week_of_year", ${d})`, `datetime_part("dayOfYear", ${d})`, `datetime_part("millisecond", ${d})`, `datetime_part("microsecond", ${d})`, `dayofweek(datetime(1970-05-12))`, `dayofmonth(${d})`, `hourofday(${d})`, `getmonth(${d})`, `week_of_year(datetime(2021-01-01))`),
    [2017, 4, 44, 303, 765, 765432, 2 * 864000000000, 30, 1, 10, 53]);
  await fails(`print datetime_part("fortnight", ${dt})`);
});

test('datetime_add and datetime_diff count calendar boundaries', async () => {
  assert.deepEqual(await values('datetime_add("month", 1, datetime(2017-01-31))', 'datetime_add("week", -1, datetime(2017-01-08))', 'datetime_add("millisecond", 5, datetime(2017-01-01))', 'datetime_add("quarter", 1, datetime(2017-01-31))'),
    ['2017-02-28T00:00:00.000Z', '2017-01-01T00:00:00.000Z', '2017-01-01T00:00:00.005Z', '2017-04-30T00:00:00.000Z']);
  assert.deepEqual(await values(
    'datetime_diff("year", datetime(2017-01-01), datetime(2000-12-31))', 'datetime_diff("quarter", datetime(2017-07-01), datetime(2017-03-30))',
    'datetime_diff("month", datetime(2017-01-01), datetime(2015-12-30))', 'datetime_diff("week", datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))',
    'datetime_diff("day", datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))', 'datetime_diff("hour", datetime(2017-10-31 01:00), datetime(2017-10-30 23:59))',
    'datetime_diff("minute", datetime(2017-10-30 23:05:01), datetime(2017-10-30 23:00:59))', 'datetime_diff("second", datetime(2017-10-30 23:00:10.100), datetime(2017-10-30 23:00:00.900))'),
  [17, 2, 13, 5, 29, 2, 5, 10]);
  await fails('print datetime_add("month", "x", now())');
});

test('make_datetime, make_timespan, unix times', async () => {
  assert.deepEqual(await values('make_datetime(2017, 10, 1)', 'make_datetime(2017, 10, 1, 12, 10, 5.5)', 'make_datetime(2017, 2, 30)', 'make_timespan(1, 2, 3)', 'make_timespan(1, 2, 3, 4)', 'unixtime_seconds_todatetime(1546300800)', 'unixtime_milliseconds_todatetime(1546300800123)', 'unixtime_microseconds_todatetime(1546300800000000)', 'unixtime_nanoseconds_todatetime(1546300800000000000)'),
    ['2017-10-01T00:00:00.000Z', '2017-10-01T12:10:05.500Z', null, 37230000000, 937840000000, '2019-01-01T00:00:00.000Z', '2019-01-01T00:00:00.123Z', '2019-01-01T00:00:00.000Z', '2019-01-01T00:00:00.000Z']);
  assert.deepEqual(await overT('unixtime_seconds_todatetime(n)'), ['1970-01-01T00:00:42.000Z', null]);
});

test('time zones: a local time in a daylight-saving gap reads with the offset after the jump', async () => {
  assert.deepEqual(await values('datetime_utc_to_local(datetime(2022-07-01 10:00), "Europe/Brussels")', 'datetime_local_to_utc(datetime(2022-07-01 12:00), "Europe/Brussels")', 'datetime_local_to_utc(datetime(2022-03-27 02:30), "Europe/Brussels")', 'datetime_local_to_utc(datetime(2022-03-27 01:00), "Europe/Brussels")'),
    ['2022-07-01T12:00:00.000Z', '2022-07-01T10:00:00.000Z', '2022-03-27T00:30:00.000Z', '2022-03-27T00:00:00.000Z']);
  await fails('print datetime_utc_to_local(datetime(2022-07-01), "Not/AZone")');
});
