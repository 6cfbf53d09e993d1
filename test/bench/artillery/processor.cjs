/**
 * Artillery helpers for deployed-stage.yml: keep retrying the decision while the workflow has not
 * stored its task token yet (409), stop once a decision answered.
 */
module.exports = {
  notDecided(context, next) {
    return next(context.vars.decided === undefined);
  },
};
