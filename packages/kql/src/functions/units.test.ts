import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refused, values } from '../../test/functions-harness.ts';

test('unit conversions with exact definitions', async () => {
  const [angle, energy, length, mass, speed, temperature, tilt, fahrenheit, unknown] = await values(
    "convert_angle(1.2, 'Degree', 'Arcminute')", "convert_energy(1.2, 'Joule', 'BritishThermalUnit')", "convert_length(1.2, 'Meter', 'Foot')",
    "convert_mass(1.2, 'Kilogram', 'Pound')", "convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour')", "convert_temperature(1.2, 'Kelvin', 'DegreeCelsius')",
    "convert_angle(30, 'Degree', 'Tilt')", "convert_temperature(100, 'DegreeCelsius', 'DegreeFahrenheit')", "convert_length(1, 'Meter', 'Furlong')") as number[];
  const near = (a: number, b: number) => Math.abs(a - b) <= Math.abs(b) * 1e-12;
  assert.ok(near(angle!, 72) && near(energy!, 0.00113738054437598) && near(length!, 3.93700787401575) && near(mass!, 2.64554714621853));
  assert.ok(near(speed!, 432000) && near(temperature!, -271.95) && near(tilt!, 0.5) && near(fahrenheit!, 212));
  assert.equal(unknown, null, 'a name that is not a unit gives null');
});

test('documented units without an exact factor are refused', async () => {
  await refused("print convert_length(1, 'Parsec', 'Meter')", /Parsec/);
  await refused("print convert_energy(1, 'ElectronVolt', 'Joule')", /ElectronVolt/);
});
