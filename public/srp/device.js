// Remembered devices in the widget: after a sign-in that returned NewDeviceMetadata, the device is
// confirmed (ConfirmDevice with the SRP verifier of a random device password kept in this browser)
// and, when the pool leaves it to the user (UserConfirmationNecessary), the signed-in view asks
// "Remember this device?" (UpdateDeviceStatus). The sign-in security settings list the user's
// devices (ListDevices) and forget one (ForgetDevice). Texts in the widget's languages.
import { deviceVerifier, keepDevice, localDevice, request as api } from './srp.js';

const TEXT = {
  en: ['Remember this device?', 'Next time you sign in on this device, you will not be asked for a code.', 'Remember',
    'Not now', 'This device is remembered.', 'Devices', 'this device', 'Last used', 'Forget', 'Unnamed device', 'Device forgotten.', 'not remembered'],
  ar: ['هل تريد تذكر هذا الجهاز؟', 'في المرة القادمة التي تسجل فيها الدخول على هذا الجهاز، لن يُطلب منك رمز.', 'تذكر',
    'ليس الآن', 'تم تذكر هذا الجهاز.', 'الأجهزة', 'هذا الجهاز', 'آخر استخدام', 'نسيان', 'جهاز بلا اسم', 'تم نسيان الجهاز.', 'غير متذكَّر'],
  de: ['Dieses Gerät merken?', 'Wenn Sie sich das nächste Mal auf diesem Gerät anmelden, werden Sie nicht nach einem Code gefragt.', 'Merken',
    'Nicht jetzt', 'Dieses Gerät wird gemerkt.', 'Geräte', 'dieses Gerät', 'Zuletzt verwendet', 'Vergessen', 'Unbenanntes Gerät', 'Gerät vergessen.', 'nicht gemerkt'],
  es: ['¿Recordar este dispositivo?', 'La próxima vez que inicie sesión en este dispositivo no se le pedirá un código.', 'Recordar',
    'Ahora no', 'Este dispositivo se recordará.', 'Dispositivos', 'este dispositivo', 'Último uso', 'Olvidar', 'Dispositivo sin nombre', 'Dispositivo olvidado.', 'no recordado'],
  fr: ['Se souvenir de cet appareil ?', 'La prochaine fois que vous vous connecterez sur cet appareil, aucun code ne vous sera demandé.', 'Se souvenir',
    'Pas maintenant', 'Cet appareil est mémorisé.', 'Appareils', 'cet appareil', 'Dernière utilisation', 'Oublier', 'Appareil sans nom', 'Appareil oublié.', 'non mémorisé'],
  it: ['Ricordare questo dispositivo?', 'La prossima volta che accedi da questo dispositivo non ti verrà chiesto un codice.', 'Ricorda',
    'Non ora', 'Questo dispositivo viene ricordato.', 'Dispositivi', 'questo dispositivo', 'Ultimo utilizzo', 'Dimentica', 'Dispositivo senza nome', 'Dispositivo dimenticato.', 'non ricordato'],
  ja: ['このデバイスを記憶しますか？', '次回このデバイスでサインインするとき、コードは求められません。', '記憶する',
    '今はしない', 'このデバイスを記憶しました。', 'デバイス', 'このデバイス', '最終使用', '削除', '名前のないデバイス', 'デバイスを削除しました。', '記憶されていません'],
  nl: ['Dit apparaat onthouden?', 'Als u zich de volgende keer op dit apparaat aanmeldt, wordt er niet om een code gevraagd.', 'Onthouden',
    'Niet nu', 'Dit apparaat wordt onthouden.', 'Apparaten', 'dit apparaat', 'Laatst gebruikt', 'Vergeten', 'Naamloos apparaat', 'Apparaat vergeten.', 'niet onthouden'],
  pt: ['Lembrar este dispositivo?', 'Na próxima vez que você entrar neste dispositivo, nenhum código será pedido.', 'Lembrar',
    'Agora não', 'Este dispositivo será lembrado.', 'Dispositivos', 'este dispositivo', 'Último uso', 'Esquecer', 'Dispositivo sem nome', 'Dispositivo esquecido.', 'não lembrado'],
  zh: ['记住此设备？', '下次在此设备上登录时，将不会要求您输入验证码。', '记住',
    '暂不', '已记住此设备。', '设备', '此设备', '上次使用', '忘记', '未命名设备', '已忘记该设备。', '未记住'],
};
const KEYS = ['ask', 'explain', 'remember', 'notNow', 'remembered', 'devices', 'thisDevice', 'lastUsed', 'forget', 'unnamed', 'forgotten', 'notRemembered'];

function texts(lang) {
  const list = TEXT[lang] || TEXT.en;
  return Object.fromEntries(KEYS.map((key, i) => [key, list[i]]));
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** A short name for this browser, as the device's name. */
function deviceName() {
  const agent = globalThis.navigator?.userAgent || 'Browser';
  const browser = (agent.match(/(Firefox|Edg|OPR|Chrome|Safari)\/[\d.]+/) || [agent])[0];
  const system = (agent.match(/\((?:[^;)]*; )?([^;)]+)/) || [])[1];
  return (system ? `${browser} (${system})` : browser).slice(0, 64);
}

/** The claims of a JWT (unverified: only to read who the tokens are for). */
function claims(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
}

/**
 * Confirms the device a sign-in just created (its answer, `responseText`, carries
 * NewDeviceMetadata; `requestBody` names the client) and keeps its secret in this browser. When the
 * pool leaves remembering to the user, asks in the widget's `#cognate-device` section, in the
 * widget's language.
 */
export async function confirmDevice(endpoint, requestBody, responseText) {
  const clientId = JSON.parse(requestBody).ClientId;
  const result = JSON.parse(responseText).AuthenticationResult;
  const { DeviceKey: deviceKey, DeviceGroupKey: groupKey } = result.NewDeviceMetadata;
  const accessToken = result.AccessToken;
  const username = claims(result.IdToken)['cognito:username'];
  const { password, config } = await deviceVerifier(groupKey, deviceKey);
  const answer = await api(endpoint, 'ConfirmDevice', {
    AccessToken: accessToken, DeviceKey: deviceKey, DeviceSecretVerifierConfig: config, DeviceName: deviceName(),
  });
  keepDevice(clientId, username, { key: deviceKey, group: groupKey, password });
  const target = answer.UserConfirmationNecessary && document.getElementById('cognate-device');
  if (!target) return;
  const t = texts(target.closest('[lang]')?.lang);
  const status = element('p', { className: 'cognate-status', role: 'status' });
  const choose = (remembered) => async () => {
    try {
      await api(endpoint, 'UpdateDeviceStatus', {
        AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: remembered ? 'remembered' : 'not_remembered',
      });
      target.replaceChildren(...(remembered ? [element('p', { className: 'cognate-status', role: 'status', textContent: t.remembered })] : []));
    } catch (error) {
      status.textContent = error.message;
    }
  };
  const yes = element('button', { type: 'button', className: 'cognate-submit', textContent: t.remember, onclick: choose(true) });
  const no = element('button', { type: 'button', className: 'cognate-link', textContent: t.notNow, onclick: choose(false) });
  target.replaceChildren(
    element('h2', { className: 'cognate-subtitle', textContent: t.ask }),
    element('p', { className: 'cognate-intro', textContent: t.explain }),
    element('div', { className: 'cognate-links' }, yes, no),
    status,
  );
}

/** The user's devices as a list with a Forget button each, for the sign-in security settings. */
export async function deviceList({ endpoint, clientId, username, accessToken, lang }) {
  const t = texts(lang);
  const section = element('div', { className: 'cognate-devices' });
  const status = element('p', { className: 'cognate-status', role: 'status' });
  const render = async () => {
    const { Devices = [] } = await api(endpoint, 'ListDevices', { AccessToken: accessToken, Limit: 60 });
    if (!Devices.length) return section.replaceChildren(status);
    const mine = localDevice(clientId, username);
    const items = Devices.map((device) => {
      const attribute = (name) => (device.DeviceAttributes || []).find((a) => a.Name === name)?.Value;
      const here = mine && mine.key === device.DeviceKey;
      const used = device.DeviceLastAuthenticatedDate
        ? new Date(device.DeviceLastAuthenticatedDate * 1000).toLocaleString(lang) : '';
      const label = [attribute('device_name') || t.unnamed, here ? `(${t.thisDevice})` : '',
        attribute('device_status') === 'not_remembered' ? `— ${t.notRemembered}` : '',
        used ? `— ${t.lastUsed}: ${used}` : ''].filter(Boolean).join(' ');
      const forget = element('button', { type: 'button', className: 'cognate-link', textContent: t.forget });
      forget.setAttribute('aria-label', `${t.forget}: ${label}`);
      forget.onclick = async () => {
        try {
          await api(endpoint, 'ForgetDevice', { AccessToken: accessToken, DeviceKey: device.DeviceKey });
          if (here) keepDevice(clientId, username, null);
          await render();
          status.textContent = t.forgotten;
        } catch (error) {
          status.textContent = error.message;
        }
      };
      return element('li', { className: 'cognate-device' }, `${label} `, forget);
    });
    section.replaceChildren(element('h3', { className: 'cognate-subtitle', textContent: t.devices }),
      element('ul', { className: 'cognate-security-list' }, ...items), status);
  };
  await render();
  return section;
}
