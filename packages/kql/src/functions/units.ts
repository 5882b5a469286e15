// convert_angle / energy / length / mass / speed / temperature. Kusto takes its units from
// UnitsNet. Only units with an exact definition are converted here (metric prefixes, the
// international inch and pound, the IT BTU...); documented units whose factor we could not
// pin down exactly are refused. A name that is not a unit at all gives null, as documented.
import { literalOf, scalar, type SqlContext } from './registry.ts';
import { real } from './sql-helpers.ts';

/** A unit as SQL: to the base unit and back (linear units are a factor). */
interface Unit {
  toBase(x: string): string;
  fromBase(x: string): string;
}

const factor = (f: number): Unit => ({ toBase: (x) => `(${x} * ${f})`, fromBase: (x) => `(${x} / ${f})` });

/** Documented units we refuse rather than approximate. */
type Table = Record<string, Unit | 'inexact'>;

const INCH = 0.0254;
const LENGTH: Table = {
  Angstrom: factor(1e-10), AstronomicalUnit: factor(149597870700), Centimeter: factor(0.01), Chain: factor(20.1168),
  DataMile: factor(1828.8), Decameter: factor(10), Decimeter: factor(0.1), DtpPica: factor(INCH / 6), DtpPoint: factor(INCH / 72),
  Fathom: factor(1.8288), Foot: factor(0.3048), Hand: factor(0.1016), Hectometer: factor(100), Inch: factor(INCH),
  KilolightYear: factor(9460730472580800e3), Kilometer: factor(1000), Kiloparsec: 'inexact', LightYear: factor(9460730472580800),
  MegalightYear: factor(9460730472580800e6), Megaparsec: 'inexact', Meter: factor(1), Microinch: factor(INCH * 1e-6),
  Micrometer: factor(1e-6), Mil: factor(INCH * 1e-3), Mile: factor(1609.344), Millimeter: factor(1e-3), Nanometer: factor(1e-9),
  NauticalMile: factor(1852), Parsec: 'inexact', PrinterPica: 'inexact', PrinterPoint: 'inexact', Shackle: factor(27.432),
  SolarRadius: 'inexact', Twip: factor(INCH / 1440), UsSurveyFoot: factor(1200 / 3937), Yard: factor(0.9144),
};

const POUND = 0.45359237;
const MASS: Table = {
  Centigram: factor(1e-5), Decagram: factor(1e-2), Decigram: factor(1e-4), EarthMass: 'inexact', Grain: factor(POUND / 7000),
  Gram: factor(1e-3), Hectogram: factor(0.1), Kilogram: factor(1), Kilopound: factor(POUND * 1e3), Kilotonne: factor(1e6),
  LongHundredweight: factor(POUND * 112), LongTon: factor(POUND * 2240), Megapound: factor(POUND * 1e6), Megatonne: factor(1e9),
  Microgram: factor(1e-9), Milligram: factor(1e-6), Nanogram: factor(1e-12), Ounce: factor(POUND / 16), Pound: factor(POUND),
  ShortHundredweight: factor(POUND * 100), ShortTon: factor(POUND * 2000), Slug: 'inexact', SolarMass: 'inexact',
  Stone: factor(POUND * 14), Tonne: factor(1000),
};

const BTU = 1055.05585262;
const ENERGY: Table = {
  BritishThermalUnit: factor(BTU), Calorie: factor(4.184), DecathermEc: factor(BTU * 1e6), DecathermImperial: factor(1.05505585257348e9),
  DecathermUs: factor(1.054804e9), ElectronVolt: 'inexact', Erg: factor(1e-7), FootPound: 'inexact', GigabritishThermalUnit: factor(BTU * 1e9),
  GigaelectronVolt: 'inexact', Gigajoule: factor(1e9), GigawattDay: factor(8.64e13), GigawattHour: factor(3.6e12), HorsepowerHour: 'inexact',
  Joule: factor(1), KilobritishThermalUnit: factor(BTU * 1e3), Kilocalorie: factor(4184), KiloelectronVolt: 'inexact', Kilojoule: factor(1e3),
  KilowattDay: factor(8.64e7), KilowattHour: factor(3.6e6), MegabritishThermalUnit: factor(BTU * 1e6), Megacalorie: factor(4.184e6),
  MegaelectronVolt: 'inexact', Megajoule: factor(1e6), MegawattDay: factor(8.64e10), MegawattHour: factor(3.6e9), Millijoule: factor(1e-3),
  TeraelectronVolt: 'inexact', TerawattDay: factor(8.64e16), TerawattHour: factor(3.6e15), ThermEc: factor(BTU * 1e5),
  ThermImperial: factor(1.05505585257348e8), ThermUs: factor(1.054804e8), WattDay: factor(86400), WattHour: factor(3600),
};

const SPEED: Table = {};
const DISTANCES: Record<string, number> = {
  Centimeter: 0.01, Decimeter: 0.1, Foot: 0.3048, Inch: INCH, Kilometer: 1000, Meter: 1, Micrometer: 1e-6, Mile: 1609.344,
  Millimeter: 1e-3, Nanometer: 1e-9, UsSurveyFoot: 1200 / 3937, Yard: 0.9144,
};
const TIMES: Record<string, number> = { Second: 1, Minute: 60, Hour: 3600 };
const SPEEDS = ['CentimeterPerHour', 'CentimeterPerMinute', 'CentimeterPerSecond', 'DecimeterPerMinute', 'DecimeterPerSecond', 'FootPerHour',
  'FootPerMinute', 'FootPerSecond', 'InchPerHour', 'InchPerMinute', 'InchPerSecond', 'KilometerPerHour', 'KilometerPerMinute', 'KilometerPerSecond',
  'MeterPerHour', 'MeterPerMinute', 'MeterPerSecond', 'MicrometerPerMinute', 'MicrometerPerSecond', 'MilePerHour', 'MillimeterPerHour',
  'MillimeterPerMinute', 'MillimeterPerSecond', 'NanometerPerMinute', 'NanometerPerSecond', 'UsSurveyFootPerHour', 'UsSurveyFootPerMinute',
  'UsSurveyFootPerSecond', 'YardPerHour', 'YardPerMinute', 'YardPerSecond'];
for (const name of SPEEDS) {
  const [distance, time] = name.split('Per') as [string, string];
  SPEED[name] = factor(DISTANCES[distance]! / TIMES[time]!);
}
SPEED.Knot = factor(1852 / 3600);

const DEGREE = 1;
const RADIAN = 180 / Math.PI;
const ANGLE: Table = {
  Arcminute: factor(DEGREE / 60), Arcsecond: factor(DEGREE / 3600), Centiradian: factor(RADIAN / 100), Deciradian: factor(RADIAN / 10),
  Degree: factor(DEGREE), Gradian: factor(0.9), Microdegree: factor(1e-6), Microradian: factor(RADIAN * 1e-6), Millidegree: factor(1e-3),
  Milliradian: factor(RADIAN * 1e-3), Nanodegree: factor(1e-9), Nanoradian: factor(RADIAN * 1e-9), NatoMil: factor(360 / 6400),
  Radian: factor(RADIAN), Revolution: factor(360),
  // UnitsNet's tilt is the sine of the angle.
  Tilt: { toBase: (x) => `degrees(asin(${x}))`, fromBase: (x) => `sin(radians(${x}))` },
};

/** Temperatures through kelvin. */
const TEMPERATURE: Table = {
  Kelvin: factor(1),
  DegreeCelsius: { toBase: (x) => `(${x} + 273.15)`, fromBase: (x) => `(${x} - 273.15)` },
  MillidegreeCelsius: { toBase: (x) => `(${x} / 1000 + 273.15)`, fromBase: (x) => `((${x} - 273.15) * 1000)` },
  DegreeFahrenheit: { toBase: (x) => `((${x} + 459.67) * 5 / 9)`, fromBase: (x) => `(${x} * 9 / 5 - 459.67)` },
  DegreeRankine: { toBase: (x) => `(${x} * 5 / 9)`, fromBase: (x) => `(${x} * 9 / 5)` },
  DegreeDelisle: { toBase: (x) => `(373.15 - ${x} * 2 / 3)`, fromBase: (x) => `((373.15 - ${x}) * 3 / 2)` },
  DegreeNewton: { toBase: (x) => `(${x} * 100 / 33 + 273.15)`, fromBase: (x) => `((${x} - 273.15) * 33 / 100)` },
  DegreeReaumur: { toBase: (x) => `(${x} * 5 / 4 + 273.15)`, fromBase: (x) => `((${x} - 273.15) * 4 / 5)` },
  DegreeRoemer: { toBase: (x) => `((${x} - 7.5) * 40 / 21 + 273.15)`, fromBase: (x) => `((${x} - 273.15) * 21 / 40 + 7.5)` },
  SolarTemperature: 'inexact',
};

function unitOf(table: Table, arg: Parameters<typeof literalOf>[0], c: SqlContext, fn: string): Unit | null {
  const name = literalOf(arg);
  if (typeof name !== 'string') return c.unsupported(`${fn} with a computed unit`, 'Name the units as string literals.');
  const unit = Object.hasOwn(table, name) ? table[name]! : undefined;
  if (unit === 'inexact') return c.unsupported(`${fn} with the unit '${name}'`, `Units converted exactly: ${Object.keys(table).filter((k) => table[k] !== 'inexact').join(', ')}.`);
  return unit ?? null;
}

for (const [fn, table] of [['convert_angle', ANGLE], ['convert_energy', ENERGY], ['convert_length', LENGTH], ['convert_mass', MASS], ['convert_speed', SPEED], ['convert_temperature', TEMPERATURE]] as const) {
  scalar(fn, ([x, from, to], c) => {
    const a = unitOf(table, from!, c, fn);
    const b = unitOf(table, to!, c, fn);
    if (a === null || b === null) return 'CAST(NULL AS DOUBLE)';
    return b.fromBase(a.toBase(real(x!, c)));
  });
}
