/** The ESM namespace register.ts loaded for this test file, for a CommonJS package to require. */
module.exports = (name) => {
  const ns = globalThis.__ententeEsmForCjs && globalThis.__ententeEsmForCjs[name];
  if (!ns) {
    throw new Error(
      `${name} was required from CommonJS before test/support/cjs-bridge/register.ts loaded it; ` +
        'register.ts loads it for *.e2e-spec.ts files: extend its check if a unit spec needs it.',
    );
  }
  return ns;
};
