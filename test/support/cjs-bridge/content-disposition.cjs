module.exports = require('./namespace.cjs')('content-disposition');
