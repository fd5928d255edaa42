import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('runs with no settings at all: embedded database, port 3000, demo data on', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3000);
    expect(config.mongodbUri).to.equal(undefined);
    expect(config.appUrl).to.equal('http://localhost:3000');
    expect(config.demoData).to.equal(true);
    expect(config.dataDir).to.match(/\/data$/);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads the values it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      MONGODB_URI: 'mongodb://db1:27017,db2:27017/debrief?replicaSet=rs0',
      APP_URL: 'https://debrief.example.com/',
      DEMO_DATA: 'false',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
    });
    expect(config.port).to.equal(8080);
    expect(config.mongodbUri).to.contain('replicaSet=rs0');
    expect(config.appUrl).to.equal('https://debrief.example.com');
    expect(config.demoData).to.equal(false);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', PORT: '' }).port).to.equal(3000);
  });

  it('refuses bad values and lists every problem by name', () => {
    const problems = problemsOf({ PORT: 'eighty', MONGODB_URI: 'http://db:27017', DEMO_DATA: 'maybe', SMTP_URL: 'mail.example.com', LOG_LEVEL: 'loud' });
    const text = problems.join('\n');
    expect(problems).to.have.length(5);
    expect(text).to.match(/^PORT: must be a whole number/m);
    expect(text).to.match(/^MONGODB_URI: must be a MongoDB connection string/m);
    expect(text).to.match(/^DEMO_DATA: must be true or false/m);
    expect(text).to.match(/^SMTP_URL: must be an SMTP URL/m);
    expect(text).to.match(/^LOG_LEVEL:/m);
  });

  it('refuses a port out of range', () => {
    expect(problemsOf({ PORT: '70000' }).join()).to.match(/PORT: must be between 1 and 65535/);
  });

  it('requires a session secret, a public address and a mail server in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.join('\n'))
      .to.match(/SESSION_SECRET: is required in production/)
      .and.match(/APP_URL: is required in production/);
    expect(problems.join('\n')).to.match(/^SMTP_URL: is required in production .*SMTP_CATCHER=true/m);
  });

  it('keeps production mail in the SMTP catcher only when SMTP_CATCHER says so', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), APP_URL: 'https://debrief.example.com' };
    expect(problemsOf(production)).to.deep.equal([
      'SMTP_URL: is required in production (without it no email reaches anyone); set SMTP_CATCHER=true to keep all mail on this machine on purpose',
    ]);
    expect(problemsOf({ ...production, SMTP_CATCHER: 'false' })).to.have.length(1);
    expect(loadConfig({ ...production, SMTP_CATCHER: 'true' })).to.include({ smtpCatcher: true, smtpUrl: undefined });
    expect(loadConfig({ ...production, SMTP_URL: 'smtps://mail.example.com:465' }).smtpUrl).to.equal('smtps://mail.example.com:465');
    expect(loadConfig({}).smtpCatcher).to.equal(false); // development: the catcher, as ever
  });

  it('trusts no proxy unless TRUSTED_PROXIES names them, and refuses what is not an address, subnet or range name', () => {
    expect(loadConfig({}).trustedProxies).to.deep.equal([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.5, 10.0.0.0/8,::1, fd00::/8 ,loopback' }).trustedProxies).to.deep.equal([
      '10.0.0.5',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['*', 'true', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/1', '1']) {
      expect(problemsOf({ TRUSTED_PROXIES: bad }).join(), bad).to.match(/^TRUSTED_PROXIES\.\d+: must be a comma-separated list of addresses or subnets/);
    }
  });

  it('does not echo the values it refuses, which may be secrets', () => {
    try {
      loadConfig({ SESSION_SECRET: 'hunter2-short', MONGODB_URI: 'postgres://admin:s3cret@db/x' });
      expect.fail('should have refused');
    } catch (err) {
      expect((err as Error).message)
        .to.contain('SESSION_SECRET')
        .and.contain('MONGODB_URI');
      expect((err as Error).message)
        .not.to.contain('hunter2')
        .and.not.to.contain('s3cret');
    }
  });
});
