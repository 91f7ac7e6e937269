import { readServerMessage } from '../../../subgraphs/inference/clients/serverErrors.js';

describe('readServerMessage', () => {
  it('reads the KServe v2 form', () => {
    expect(readServerMessage('{"error":"unexpected inference input \'x\' for model \'m\'"}')).toBe("unexpected inference input 'x' for model 'm'");
  });

  it('reads the OpenAI form', () => {
    const body = JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } });

    expect(readServerMessage(body)).toBe('Rate limit reached');
  });

  it('reads a top-level message', () => {
    expect(readServerMessage('{"object":"error","message":"max_tokens is too large","type":"BadRequestError","code":400}')).toBe('max_tokens is too large');
  });

  it('puts the message on one line', () => {
    expect(readServerMessage('{"error":"first line\\n  second line"}')).toBe('first line second line');
  });

  it('cuts a long message at 200 characters', () => {
    const message = readServerMessage(JSON.stringify({ error: 'x'.repeat(500) }));

    expect(message).toBe(`${'x'.repeat(200)}…`);
  });

  it('ignores a body that is not JSON', () => {
    expect(readServerMessage('<html><body>502 Bad Gateway</body></html>')).toBeUndefined();
  });

  it('ignores other fields of the body', () => {
    expect(readServerMessage(JSON.stringify({ detail: [{ msg: 'Field required', input: { texts: ['secret'] } }] }))).toBeUndefined();
  });
});
