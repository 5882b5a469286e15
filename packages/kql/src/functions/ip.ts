// IP functions: see issue 4 coverage.
export {};
