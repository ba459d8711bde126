module.exports = require('./namespace.cjs')('@nestjs/common');
