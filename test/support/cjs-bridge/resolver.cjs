/**
 * Jest resolver. @nestjs/throttler is CommonJS and requires @nestjs/common and @nestjs/core,
 * which are ESM only; so does @fastify/static with content-disposition (3.x, ESM only). Node
 * (>= 20.19) loads that with require(esm); Jest before Node 24.9 cannot. So a require() of
 * those from inside node_modules is answered with the very module namespaces the test's ESM
 * graph imported (register.ts puts them on globalThis). Everything else resolves as usual.
 */
const path = require('node:path');

const BRIDGED = { '@nestjs/common': 'common.cjs', '@nestjs/core': 'core.cjs', 'content-disposition': 'content-disposition.cjs' };
/** Where a bridged package is required from, when not from anywhere in node_modules. */
const FROM = { 'content-disposition': /[\\/]node_modules[\\/]@fastify[\\/]static(?:[\\/]|$)/ };

module.exports = (request, options) => {
  const conditions = options.conditions || [];
  const from = FROM[request] || /[\\/]node_modules[\\/]/;
  if (BRIDGED[request] && conditions.includes('require') && !conditions.includes('import') && from.test(options.basedir)) {
    return path.join(__dirname, BRIDGED[request]);
  }
  return options.defaultResolver(request, options);
};
