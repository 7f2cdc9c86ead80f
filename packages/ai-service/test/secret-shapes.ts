// Secrets in the shapes they take in real logs: each `line` carries `secret`, which must never reach
// the model. Values are made up but keep each vendor's prefix, length and alphabet (ID, card and phone
// numbers pass their checksums).
export interface SecretShape {
  name: string;
  line: string;
  secret: string;
}

export const SECRET_SHAPES: SecretShape[] = [
  { name: 'AWS access key id', line: 'using credentials AKIAIOSFODNN7Q3XAMPL for s3', secret: 'AKIAIOSFODNN7Q3XAMPL' },
  { name: 'AWS secret after the bare word', line: 'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY used', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { name: 'AWS secret env form', line: 'AWS_SECRET_ACCESS_KEY=Zx8vQ2mN4pL6rT1yU3wE5sD7fG9hJ0kA2bC4dE6f', secret: 'Zx8vQ2mN4pL6rT1yU3wE5sD7fG9hJ0kA2bC4dE6f' },
  { name: 'GCP API key', line: 'maps call key=AIzaSyD4xQ8vN2mP6rT1yU3wE5sD7fG9hJ0kA2b failed', secret: 'AIzaSyD4xQ8vN2mP6rT1yU3wE5sD7fG9hJ0kA2b' },
  { name: 'GCP service account key', line: '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}', secret: 'MIIEvgIBADANBgkqhkiG9w0BAQEFAASC' },
  { name: 'Azure storage connection string', line: 'DefaultEndpointsProtocol=https;AccountName=logs;AccountKey=q8Vn2Lp6Rt1Yu3We5Sd7Fg9Hj0Ka2Bc4De6Fg8Hi0Jk==;EndpointSuffix=core.windows.net', secret: 'q8Vn2Lp6Rt1Yu3We5Sd7Fg9Hj0Ka2Bc4De6Fg8Hi0Jk' },
  { name: 'Azure SAS signature', line: 'GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=Xy7%2Bq8Vn2Lp6Rt1Yu3We5Sd7Fg9Hj0%3D&se=2026', secret: 'Xy7%2Bq8Vn2Lp6Rt1Yu3We5Sd7Fg9Hj0%3D' },
  { name: 'Alibaba Cloud AccessKey ID', line: 'oss put with LTAI5tQ8vN2mP6rT1yU3wE5s', secret: 'LTAI5tQ8vN2mP6rT1yU3wE5s' },
  { name: 'Alibaba Cloud AccessKey secret', line: 'AccessKeySecret: 9fJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC', secret: '9fJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC' },
  { name: 'Tencent Cloud SecretId', line: 'cos auth AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA failed', secret: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA' },
  { name: 'Tencent Cloud SecretKey', line: 'SecretKey="Gu5t9xGARNpq86cd98joQYCN3Cozk1qA"', secret: 'Gu5t9xGARNpq86cd98joQYCN3Cozk1qA' },
  { name: 'GitHub personal token', line: 'git clone with ghp_R2d2C3poL8vN2mP6rT1yU3wE5sD7fG9hJ0kA', secret: 'ghp_R2d2C3poL8vN2mP6rT1yU3wE5sD7fG9hJ0kA' },
  { name: 'GitHub fine-grained token', line: 'token github_pat_11ABCDEFG0q8Vn2Lp6Rt1Yu_3We5Sd7Fg9Hj0Ka2Bc4De6Fg8Hi0Jk', secret: 'github_pat_11ABCDEFG0q8Vn2Lp6Rt1Yu_3We5Sd7Fg9Hj0Ka2Bc4De6Fg8Hi0Jk' },
  { name: 'GitLab token', line: 'runner registered glpat-x8Vn2Lp6Rt1Yu3We5Sd7', secret: 'glpat-x8Vn2Lp6Rt1Yu3We5Sd7' },
  { name: 'Slack bot token', line: 'slack post failed xoxb-2048-4096-Q8vN2mP6rT1yU3wE', secret: 'xoxb-2048-4096-Q8vN2mP6rT1yU3wE' },
  { name: 'Slack webhook URL', line: 'POST https://hooks.slack.com/services/T0001/B0002/Xq8vN2mP6rT1yU3wE5sD7fG9 404', secret: 'Xq8vN2mP6rT1yU3wE5sD7fG9' },
  { name: 'DingTalk robot access token', line: 'POST https://oapi.dingtalk.com/robot/send?access_token=6c3f1b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b', secret: '6c3f1b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b' },
  { name: 'DingTalk signing secret', line: 'robot sign with SEC7d2c4f6a8b0e1d3c5a7f9b2e4d6c8a0f1e3d5c7b9a2f4e6d8c0b1a3f5e7d9c2b4', secret: 'SEC7d2c4f6a8b0e1d3c5a7f9b2e4d6c8a0f1e3d5c7b9a2f4e6d8c0b1a3f5e7d9c2b4' },
  { name: 'Feishu webhook', line: 'feishu send https://open.feishu.cn/open-apis/bot/v2/hook/3f2b8c1d-7e4a-4b9c-a1d2-e3f4a5b6c7d8 timeout', secret: '3f2b8c1d-7e4a-4b9c-a1d2-e3f4a5b6c7d8' },
  { name: 'WeCom robot key', line: 'qyapi webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa answered 93000', secret: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' },
  { name: 'OpenAI key', line: 'llm call with sk-proj-Q8vN2mP6rT1yU3wE5sD7fG9h failed 401', secret: 'sk-proj-Q8vN2mP6rT1yU3wE5sD7fG9h' },
  { name: 'Stripe live key', line: 'charge via sk_live_51Hq8vN2mP6rT1yU3wE5sD7fG', secret: 'sk_live_51Hq8vN2mP6rT1yU3wE5sD7fG' },
  { name: 'PEM RSA private key', line: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq8Vn2Lp6Rt1Yu3\n-----END RSA PRIVATE KEY-----', secret: 'MIIEpAIBAAKCAQEAq8Vn2Lp6Rt1Yu3' },
  { name: 'PostgreSQL URL password', line: 'connect postgres://app:S3cr3t-Pg-Pass@db:5432/app refused', secret: 'S3cr3t-Pg-Pass' },
  { name: 'MongoDB SRV password', line: 'mongodb+srv://svc:Mg0-Pa55w0rd@cluster0.ab1cd.mongodb.net/test', secret: 'Mg0-Pa55w0rd' },
  { name: 'ADO.NET connection string', line: 'Server=sql01;Database=pay;User Id=svc;Password=Ad0N3t!Pass;', secret: 'Ad0N3t!Pass' },
  { name: 'JDBC password parameter', line: 'jdbc:mysql://db:3306/pay?user=svc&password=JdbcP4ss99', secret: 'JdbcP4ss99' },
  { name: 'JWT', line: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyNDIifQ.Sflq8Vn2Lp6Rt1Yu3We5', secret: 'Sflq8Vn2Lp6Rt1Yu3We5' },
  { name: 'Cookie header', line: 'Cookie: sessionid=k2Lp6Rt1Yu3We5Sd; csrftoken=Q8vN2mP6rT1yU3wE', secret: 'k2Lp6Rt1Yu3We5Sd' },
  { name: 'Set-Cookie header', line: 'Set-Cookie: SID=31d4d96e407aad42; Path=/; Secure; HttpOnly', secret: '31d4d96e407aad42' },
  { name: 'Bearer token', line: 'Authorization: Bearer q8Vn2Lp6Rt1Yu3We5Sd7', secret: 'q8Vn2Lp6Rt1Yu3We5Sd7' },
  { name: 'X-Auth-Token header', line: 'x-auth-token: 5d41402abc4b2a76b9719d911017c592', secret: '5d41402abc4b2a76b9719d911017c592' },
  { name: 'passwd in any case', line: 'PASSWD : Hunter2Hunter2', secret: 'Hunter2Hunter2' },
  { name: 'credential word and value', line: 'loaded credential Zk9Lp6Rt1Yu3We5Sd7Fg from vault', secret: 'Zk9Lp6Rt1Yu3We5Sd7Fg' },
  { name: 'unlabelled high-entropy token', line: 'retrying with Q8vN2mP6rT1yU3wE5sD7fG9hJ0kA2bC4 after 401', secret: 'Q8vN2mP6rT1yU3wE5sD7fG9hJ0kA2bC4' },
  { name: 'Chinese resident ID', line: '实名认证失败 身份证 11010519491231002X', secret: '11010519491231002X' },
  { name: 'Chinese mobile', line: '短信发送失败 手机 13912345678', secret: '13912345678' },
  { name: 'UnionPay card', line: '支付失败 卡号 6250941006528599', secret: '6250941006528599' },
];

/** Ordinary log text that must pass unchanged: words after "key"/"token", counts, ids, hashes, names. */
export const ORDINARY_LINES: string[] = [
  'Token expired, refreshing session',
  'key rotation scheduled for tenant 42',
  'secret santa draw finished',
  'usage prompt_tokens=512 completion_tokens=128 max_tokens=4096',
  'cache_key=user:42 miss',
  'auth=true user=bob',
  'author=bob committed 3 files',
  'pod payment-api-7d9f8b6c5-x2k4p restarted',
  'request 3F2504E0-4F89-11D3-9A0C-0305E82C3301 done',
  'blk_-1608999687919862906 replicated to 3 nodes',
  'java.lang.NullPointerException at com.example.PaymentService.charge(PaymentService.java:42)',
  'GET /api/v1/Users/GetAccountBalance 200',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 verified',
  'ERROR: connection refused to 10.0.0.5:6379',
];
