// The signed-in user's sign-in security (MFA) settings, loaded on demand from the widget's
// signed-in view: which second factors are on (GetUser's UserMFASettingList), adding an
// authenticator app (AssociateSoftwareToken → QR code → VerifySoftwareToken), turning the app or
// email codes on and off, and the preferred factor (SetUserMFAPreference). Rendered into the
// widget's `#cognate-security` with the widget's own classes; texts in the widget's languages.
// Below them, the user's remembered devices (srp/device.js), each of which can be forgotten.
import { showAuthenticatorKey } from './qr.js';
import { deviceList } from '../srp/device.js';
import { request as call } from '../srp/srp.js';

const TEXT = {
  en: ['Sign-in security', 'Authenticator app', 'Email codes', 'On', 'Off', 'Set up', 'Turn off', 'Turn on',
    'Preferred', 'Code from the app', 'Verify', 'Scan the QR code with your authenticator app, or type the key, then enter the code it shows.', 'Saved.', 'That did not work. Check the code and try again.'],
  ar: ['أمان تسجيل الدخول', 'تطبيق المصادقة', 'رموز البريد الإلكتروني', 'مفعّل', 'متوقف', 'إعداد', 'إيقاف', 'تشغيل',
    'المفضل', 'الرمز من التطبيق', 'تحقق', 'امسح رمز QR بتطبيق المصادقة أو اكتب المفتاح، ثم أدخل الرمز الذي يظهره.', 'تم الحفظ.', 'لم ينجح ذلك. تحقق من الرمز وحاول مرة أخرى.'],
  de: ['Anmeldesicherheit', 'Authenticator-App', 'Codes per E-Mail', 'An', 'Aus', 'Einrichten', 'Ausschalten', 'Einschalten',
    'Bevorzugt', 'Code aus der App', 'Bestätigen', 'Scannen Sie den QR-Code mit Ihrer Authenticator-App oder tippen Sie den Schlüssel ein und geben Sie dann den angezeigten Code ein.', 'Gespeichert.', 'Das hat nicht geklappt. Prüfen Sie den Code und versuchen Sie es erneut.'],
  es: ['Seguridad del inicio de sesión', 'Aplicación de autenticación', 'Códigos por correo', 'Activado', 'Desactivado', 'Configurar', 'Desactivar', 'Activar',
    'Preferido', 'Código de la aplicación', 'Verificar', 'Escanee el código QR con su aplicación de autenticación o escriba la clave, y luego introduzca el código que muestra.', 'Guardado.', 'No ha funcionado. Compruebe el código e inténtelo de nuevo.'],
  fr: ['Sécurité de la connexion', 'Application d’authentification', 'Codes par e-mail', 'Activé', 'Désactivé', 'Configurer', 'Désactiver', 'Activer',
    'Préféré', 'Code de l’application', 'Vérifier', 'Scannez le code QR avec votre application d’authentification ou saisissez la clé, puis entrez le code affiché.', 'Enregistré.', 'Cela n’a pas fonctionné. Vérifiez le code et réessayez.'],
  it: ['Sicurezza dell’accesso', 'App di autenticazione', 'Codici via email', 'Attivo', 'Disattivo', 'Configura', 'Disattiva', 'Attiva',
    'Preferito', 'Codice dell’app', 'Verifica', 'Scansiona il codice QR con la tua app di autenticazione o digita la chiave, poi inserisci il codice mostrato.', 'Salvato.', 'Non ha funzionato. Controlla il codice e riprova.'],
  ja: ['サインインのセキュリティ', '認証アプリ', 'メールのコード', 'オン', 'オフ', '設定', 'オフにする', 'オンにする',
    '優先', 'アプリのコード', '確認', '認証アプリで QR コードを読み取るかキーを入力し、表示されたコードを入力してください。', '保存しました。', 'うまくいきませんでした。コードを確認してもう一度お試しください。'],
  nl: ['Aanmeldbeveiliging', 'Authenticator-app', 'Codes per e-mail', 'Aan', 'Uit', 'Instellen', 'Uitzetten', 'Aanzetten',
    'Voorkeur', 'Code uit de app', 'Bevestigen', 'Scan de QR-code met uw authenticator-app of typ de sleutel, en voer dan de getoonde code in.', 'Opgeslagen.', 'Dat is niet gelukt. Controleer de code en probeer het opnieuw.'],
  pt: ['Segurança do login', 'Aplicativo autenticador', 'Códigos por e-mail', 'Ativado', 'Desativado', 'Configurar', 'Desativar', 'Ativar',
    'Preferido', 'Código do aplicativo', 'Verificar', 'Leia o código QR com seu aplicativo autenticador ou digite a chave e depois o código exibido.', 'Salvo.', 'Não funcionou. Confira o código e tente novamente.'],
  zh: ['登录安全', '身份验证器应用', '电子邮件验证码', '已开启', '已关闭', '设置', '关闭', '开启',
    '首选', '应用中的验证码', '验证', '用身份验证器应用扫描二维码或输入密钥，然后输入显示的验证码。', '已保存。', '操作未成功。请检查验证码后重试。'],
};
const KEYS = ['title', 'app', 'email', 'on', 'off', 'setUp', 'turnOff', 'turnOn', 'preferred', 'code', 'verify', 'scan', 'saved', 'failed'];

function texts(lang) {
  const list = TEXT[lang] || TEXT.en;
  return Object.fromEntries(KEYS.map((key, i) => [key, list[i]]));
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Opens the settings in `#cognate-security` for the user of `accessToken`. */
export async function openSecurity({ endpoint, clientId, accessToken, lang, username }) {
  const target = document.getElementById('cognate-security');
  if (!target) return;
  const t = texts(lang);
  const status = element('p', { className: 'cognate-status', role: 'status' });
  const say = (message) => { status.textContent = message; };
  const set = (settings) => call(endpoint, 'SetUserMFAPreference', { AccessToken: accessToken, ...settings });

  async function render() {
    const user = await call(endpoint, 'GetUser', { AccessToken: accessToken });
    const enabled = user.UserMFASettingList || [];
    const preferred = user.PreferredMfaSetting;
    const rows = [];
    const row = (label, factor, settingsKey, setUp) => {
      const on = enabled.includes(factor);
      const action = element('button', { type: 'button', className: 'cognate-link', textContent: on ? t.turnOff : (setUp ? t.setUp : t.turnOn) });
      action.onclick = async () => {
        try {
          if (!on && setUp) return setUp();
          await set({ [settingsKey]: { Enabled: !on, PreferredMfa: !on && enabled.length === 0 } });
          say(t.saved);
          await render();
        } catch (error) {
          say(error.message);
        }
      };
      rows.push(element('li', {}, `${label}: ${on ? t.on : t.off}${on && preferred === factor ? ` (${t.preferred})` : ''} `, action));
    };
    row(t.app, 'SOFTWARE_TOKEN_MFA', 'SoftwareTokenMfaSettings', setUpApp);
    row(t.email, 'EMAIL_OTP', 'EmailMfaSettings');
    const list = element('ul', { className: 'cognate-security-list' }, ...rows);
    const parts = [element('h2', { className: 'cognate-subtitle', textContent: t.title }), list];
    if (enabled.length > 1) {
      const select = element('select', { id: 'cognate-preferred' });
      for (const [factor, label] of [['SOFTWARE_TOKEN_MFA', t.app], ['EMAIL_OTP', t.email]]) {
        if (enabled.includes(factor)) select.append(element('option', { value: factor, textContent: label, selected: factor === preferred }));
      }
      select.onchange = async () => {
        const key = select.value === 'EMAIL_OTP' ? 'EmailMfaSettings' : 'SoftwareTokenMfaSettings';
        await set({ [key]: { Enabled: true, PreferredMfa: true } }).then(() => say(t.saved), (e) => say(e.message));
      };
      parts.push(element('div', { className: 'cognate-field' },
        element('label', { htmlFor: 'cognate-preferred', textContent: t.preferred }), select));
    }
    const devices = await deviceList({ endpoint, clientId, username, accessToken, lang }).catch(() => null);
    target.replaceChildren(...parts, status, ...(devices ? [devices] : []));
  }

  async function setUpApp() {
    const { SecretCode } = await call(endpoint, 'AssociateSoftwareToken', { AccessToken: accessToken });
    const input = element('input', { id: 'cognate-security-code', type: 'text', autocomplete: 'one-time-code', inputMode: 'numeric' });
    const verify = element('button', { type: 'submit', className: 'cognate-submit', textContent: t.verify });
    const form = element('form', { className: 'cognate-security-setup' },
      element('p', { className: 'cognate-intro', textContent: t.scan }),
      element('div', { id: 'cognate-qr', className: 'cognate-qr' }),
      element('div', { className: 'cognate-field' },
        element('label', { htmlFor: 'cognate-security-code', textContent: t.code }), input),
      verify);
    form.onsubmit = async (event) => {
      event.preventDefault();
      try {
        await call(endpoint, 'VerifySoftwareToken', { AccessToken: accessToken, UserCode: input.value.trim() });
        await set({ SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
        say(t.saved);
        await render();
      } catch {
        say(t.failed);
        input.focus();
      }
    };
    target.replaceChildren(element('h2', { className: 'cognate-subtitle', textContent: t.title }), form, status);
    showAuthenticatorKey(username, SecretCode);
    input.focus();
  }

  try {
    await render();
  } catch (error) {
    target.replaceChildren(element('p', { className: 'cognate-alert', role: 'alert', textContent: error.message }));
  }
}
