module.exports = require('./namespace.cjs')('@nestjs/core');
