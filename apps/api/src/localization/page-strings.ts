import type { Language } from './languages';

/**
 * Every sentence of the pages the service renders, in the six UN languages. `{{name}}` is filled
 * (HTML-escaped) by `pageText`; every language uses the same names (page-strings.spec.ts). Codes —
 * roles, States, operation names — stay as they are in every language.
 */
export interface PageStrings {
  ackTitle: string;
  ackIntro: string;
  ackDeadline: string;
  ackConfirm: string;
  ackDoneTitle: string;
  ackDone: string;
  ackUnknownTitle: string;
  ackUnknown: string;
  ackGoneTitle: string;
  ackUsed: string;
  ackExpired: string;

  passwordRulesTitle: string;
  passwordRuleLength: string;
  passwordRuleCommon: string;
  passwordRuleEmail: string;
  passwordLabel: string;
  passwordRepeatLabel: string;
  passwordRefusedTitle: string;
  passwordBrokenLength: string;
  passwordBrokenCommon: string;
  passwordBrokenEmail: string;
  passwordMismatch: string;
  linkValidUntil: string;

  invitationTitle: string;
  invitationIntro: string;
  invitationSubmit: string;
  invitationDoneTitle: string;
  invitationInvalidTitle: string;
  invitationInvalid: string;

  resetTitle: string;
  resetIntro: string;
  resetSubmit: string;
  resetDoneTitle: string;
  resetDone: string;
  resetInvalidTitle: string;
  resetInvalid: string;

  signInHow: string;
  openDocs: string;
  mfaEnrolHow: string;
  mfaEnrolled: string;
}

export const PAGE_STRINGS: Record<Language, PageStrings> = {
  en: {
    ackTitle: 'Communication check',
    ackIntro: 'This confirms that {{contactName}} ({{stateCode}}) can be reached through the points of contact directory of the CBM Registry.',
    ackDeadline: 'Please confirm before {{deadline}}.',
    ackConfirm: 'Confirm',
    ackDoneTitle: 'Thank you',
    ackDone: 'The confirmation for {{contactName}} has been recorded. You may close this page.',
    ackUnknownTitle: 'Unknown link',
    ackUnknown: 'This acknowledgement link is not known.',
    ackGoneTitle: 'Link no longer valid',
    ackUsed: 'This acknowledgement link has already been used: your confirmation was recorded.',
    ackExpired: 'This communication check has closed: the link no longer works.',

    passwordRulesTitle: 'Password rules',
    passwordRuleLength: 'Between {{min}} and {{max}} characters. Spaces and letters of any script are allowed: a phrase of several words is easy to remember and hard to guess.',
    passwordRuleCommon: 'Not a password in common use or known from data breaches.',
    passwordRuleEmail: 'Not your email address.',
    passwordLabel: 'New password',
    passwordRepeatLabel: 'Repeat the new password',
    passwordRefusedTitle: 'The password was not accepted',
    passwordBrokenLength: 'It must be between {{min}} and {{max}} characters long.',
    passwordBrokenCommon: 'It is too common: it appears in lists of breached passwords.',
    passwordBrokenEmail: 'It must not be your email address.',
    passwordMismatch: 'The two passwords entered are not the same.',
    linkValidUntil: 'This link can be used once, until {{expiresAt}}.',

    invitationTitle: 'Set your password',
    invitationIntro: 'Welcome, {{displayName}}. An account has been opened for you in the CBM Registry under the address {{email}}, with the role {{role}}. Please choose your password to activate it.',
    invitationSubmit: 'Set my password',
    invitationDoneTitle: 'Your password has been set',
    invitationInvalidTitle: 'This invitation link cannot be used',
    invitationInvalid: 'The link is unknown, has already been used or has expired. Please ask your administrator to send you a new invitation.',

    resetTitle: 'Choose a new password',
    resetIntro: 'Please choose a new password for your CBM Registry account ({{email}}). Once it is set, every open session of the account is ended, on every device.',
    resetSubmit: 'Change my password',
    resetDoneTitle: 'Your password has been changed',
    resetDone: 'Every session of your account has been ended. Please sign in again with your new password.',
    resetInvalidTitle: 'This password reset link cannot be used',
    resetInvalid: 'The link is unknown, has already been used or has expired. You may request a new one; such links are valid for a short time only.',

    signInHow: 'To sign in, use your email address ({{email}}) and your password with the operation "login" of the API documentation at {{docsUrl}}, or with any client of the API at {{loginUrl}}.',
    openDocs: 'Open the API documentation',
    mfaEnrolHow:
      'Your role requires a second factor. At your first sign-in you will be asked to enrol one: install an authenticator application (TOTP) on your telephone, request a secret with the operation "mfa/enrolment", add it to the application (by typing the secret or scanning a QR code of the otpauth URI), then confirm it with the six-digit code the application shows (operation "mfa/enrolment/confirm"). Keep the ten recovery codes you then receive in a safe place.',
    mfaEnrolled: 'After your password, you will be asked for the six-digit code of your authenticator application, or for one of your recovery codes.',
  },

  fr: {
    ackTitle: 'Test de communication',
    ackIntro: "La présente page confirme que {{contactName}} ({{stateCode}}) peut être joint par l'intermédiaire du répertoire des points de contact du CBM Registry.",
    ackDeadline: 'Veuillez confirmer avant le {{deadline}}.',
    ackConfirm: 'Confirmer',
    ackDoneTitle: 'Merci',
    ackDone: 'La confirmation pour {{contactName}} a été enregistrée. Vous pouvez fermer cette page.',
    ackUnknownTitle: 'Lien inconnu',
    ackUnknown: "Ce lien d'accusé de réception n'est pas connu.",
    ackGoneTitle: "Ce lien n'est plus valable",
    ackUsed: "Ce lien d'accusé de réception a déjà été utilisé : votre confirmation a été enregistrée.",
    ackExpired: 'Ce test de communication est clos : le lien ne fonctionne plus.',

    passwordRulesTitle: 'Règles applicables au mot de passe',
    passwordRuleLength: "Entre {{min}} et {{max}} caractères. Les espaces et les lettres de toute écriture sont admis : une phrase de plusieurs mots est facile à retenir et difficile à deviner.",
    passwordRuleCommon: "Pas un mot de passe d'usage courant ni connu à la suite de fuites de données.",
    passwordRuleEmail: 'Pas votre adresse électronique.',
    passwordLabel: 'Nouveau mot de passe',
    passwordRepeatLabel: 'Confirmez le nouveau mot de passe',
    passwordRefusedTitle: "Le mot de passe n'a pas été accepté",
    passwordBrokenLength: 'Il doit compter entre {{min}} et {{max}} caractères.',
    passwordBrokenCommon: 'Il est trop courant : il figure dans des listes de mots de passe divulgués.',
    passwordBrokenEmail: 'Il ne doit pas être votre adresse électronique.',
    passwordMismatch: 'Les deux mots de passe saisis ne sont pas identiques.',
    linkValidUntil: "Ce lien ne peut être utilisé qu'une fois, jusqu'au {{expiresAt}}.",

    invitationTitle: 'Définissez votre mot de passe',
    invitationIntro: "Bienvenue, {{displayName}}. Un compte vous a été ouvert dans le CBM Registry sous l'adresse {{email}}, avec le rôle {{role}}. Veuillez choisir votre mot de passe pour l'activer.",
    invitationSubmit: 'Définir mon mot de passe',
    invitationDoneTitle: 'Votre mot de passe a été défini',
    invitationInvalidTitle: "Ce lien d'invitation ne peut pas être utilisé",
    invitationInvalid: "Le lien est inconnu, a déjà été utilisé ou a expiré. Veuillez demander à votre administrateur de vous adresser une nouvelle invitation.",

    resetTitle: 'Choisissez un nouveau mot de passe',
    resetIntro: "Veuillez choisir un nouveau mot de passe pour votre compte du CBM Registry ({{email}}). Dès qu'il sera défini, toutes les sessions ouvertes du compte prendront fin, sur tous les appareils.",
    resetSubmit: 'Changer mon mot de passe',
    resetDoneTitle: 'Votre mot de passe a été changé',
    resetDone: 'Toutes les sessions de votre compte ont pris fin. Veuillez vous reconnecter avec votre nouveau mot de passe.',
    resetInvalidTitle: 'Ce lien de réinitialisation ne peut pas être utilisé',
    resetInvalid: "Le lien est inconnu, a déjà été utilisé ou a expiré. Vous pouvez en demander un nouveau ; ces liens ne sont valables que peu de temps.",

    signInHow: "Pour vous connecter, utilisez votre adresse électronique ({{email}}) et votre mot de passe avec l'opération « login » de la documentation de l'API, à l'adresse {{docsUrl}}, ou avec tout client de l'API, à l'adresse {{loginUrl}}.",
    openDocs: "Ouvrir la documentation de l'API",
    mfaEnrolHow:
      "Votre rôle exige un second facteur d'authentification. Lors de votre première connexion, il vous sera demandé d'en enregistrer un : installez une application d'authentification (TOTP) sur votre téléphone, demandez un secret avec l'opération « mfa/enrolment », ajoutez-le à l'application (en saisissant le secret ou en scannant un code QR de l'URI otpauth), puis confirmez-le avec le code à six chiffres qu'affiche l'application (opération « mfa/enrolment/confirm »). Conservez en lieu sûr les dix codes de récupération que vous recevrez alors.",
    mfaEnrolled: "Après votre mot de passe, le code à six chiffres de votre application d'authentification, ou l'un de vos codes de récupération, vous sera demandé.",
  },

  es: {
    ackTitle: 'Prueba de comunicación',
    ackIntro: 'La presente página confirma que es posible comunicarse con {{contactName}} ({{stateCode}}) por medio del directorio de puntos de contacto del CBM Registry.',
    ackDeadline: 'Sírvase confirmar antes del {{deadline}}.',
    ackConfirm: 'Confirmar',
    ackDoneTitle: 'Gracias',
    ackDone: 'Se ha registrado la confirmación correspondiente a {{contactName}}. Puede cerrar esta página.',
    ackUnknownTitle: 'Enlace desconocido',
    ackUnknown: 'Este enlace de acuse de recibo no es conocido.',
    ackGoneTitle: 'Este enlace ya no es válido',
    ackUsed: 'Este enlace de acuse de recibo ya se ha utilizado: su confirmación quedó registrada.',
    ackExpired: 'Esta prueba de comunicación ha concluido: el enlace ya no funciona.',

    passwordRulesTitle: 'Requisitos de la contraseña',
    passwordRuleLength: 'Entre {{min}} y {{max}} caracteres. Se admiten espacios y letras de cualquier escritura: una frase de varias palabras es fácil de recordar y difícil de adivinar.',
    passwordRuleCommon: 'No debe ser una contraseña de uso común ni conocida por filtraciones de datos.',
    passwordRuleEmail: 'No debe ser su dirección de correo electrónico.',
    passwordLabel: 'Nueva contraseña',
    passwordRepeatLabel: 'Repita la nueva contraseña',
    passwordRefusedTitle: 'La contraseña no ha sido aceptada',
    passwordBrokenLength: 'Debe tener entre {{min}} y {{max}} caracteres.',
    passwordBrokenCommon: 'Es demasiado común: figura en listas de contraseñas filtradas.',
    passwordBrokenEmail: 'No puede ser su dirección de correo electrónico.',
    passwordMismatch: 'Las dos contraseñas introducidas no coinciden.',
    linkValidUntil: 'Este enlace puede utilizarse una sola vez, hasta el {{expiresAt}}.',

    invitationTitle: 'Establezca su contraseña',
    invitationIntro: 'Le damos la bienvenida, {{displayName}}. Se ha abierto una cuenta a su nombre en el CBM Registry con la dirección {{email}} y la función {{role}}. Sírvase elegir su contraseña para activarla.',
    invitationSubmit: 'Establecer mi contraseña',
    invitationDoneTitle: 'Su contraseña ha quedado establecida',
    invitationInvalidTitle: 'No es posible utilizar este enlace de invitación',
    invitationInvalid: 'El enlace es desconocido, ya se ha utilizado o ha caducado. Sírvase pedir a su administrador que le envíe una nueva invitación.',

    resetTitle: 'Elija una nueva contraseña',
    resetIntro: 'Sírvase elegir una nueva contraseña para su cuenta del CBM Registry ({{email}}). En cuanto quede establecida, se cerrarán todas las sesiones abiertas de la cuenta, en todos los dispositivos.',
    resetSubmit: 'Cambiar mi contraseña',
    resetDoneTitle: 'Su contraseña ha sido cambiada',
    resetDone: 'Se han cerrado todas las sesiones de su cuenta. Sírvase iniciar sesión de nuevo con su nueva contraseña.',
    resetInvalidTitle: 'No es posible utilizar este enlace de restablecimiento',
    resetInvalid: 'El enlace es desconocido, ya se ha utilizado o ha caducado. Puede solicitar uno nuevo; estos enlaces solo son válidos durante un breve plazo.',

    signInHow: 'Para iniciar sesión, utilice su dirección de correo electrónico ({{email}}) y su contraseña con la operación «login» de la documentación de la API, en {{docsUrl}}, o con cualquier cliente de la API, en {{loginUrl}}.',
    openDocs: 'Abrir la documentación de la API',
    mfaEnrolHow:
      'Su función exige un segundo factor de autenticación. Al iniciar sesión por primera vez se le pedirá que registre uno: instale una aplicación de autenticación (TOTP) en su teléfono, solicite un secreto con la operación «mfa/enrolment», añádalo a la aplicación (escribiendo el secreto o escaneando un código QR del URI otpauth) y confírmelo con el código de seis dígitos que muestre la aplicación (operación «mfa/enrolment/confirm»). Guarde en lugar seguro los diez códigos de recuperación que recibirá entonces.',
    mfaEnrolled: 'Después de la contraseña se le pedirá el código de seis dígitos de su aplicación de autenticación o uno de sus códigos de recuperación.',
  },

  ru: {
    ackTitle: 'Проверка связи',
    ackIntro: 'Настоящая страница служит подтверждением того, что с {{contactName}} ({{stateCode}}) можно связаться через справочник контактных пунктов CBM Registry.',
    ackDeadline: 'Просьба подтвердить до {{deadline}}.',
    ackConfirm: 'Подтвердить',
    ackDoneTitle: 'Благодарим Вас',
    ackDone: 'Подтверждение для {{contactName}} зарегистрировано. Вы можете закрыть эту страницу.',
    ackUnknownTitle: 'Неизвестная ссылка',
    ackUnknown: 'Данная ссылка для подтверждения получения неизвестна.',
    ackGoneTitle: 'Ссылка более не действительна',
    ackUsed: 'Данная ссылка для подтверждения получения уже была использована: Ваше подтверждение зарегистрировано.',
    ackExpired: 'Эта проверка связи завершена: ссылка более не действует.',

    passwordRulesTitle: 'Требования к паролю',
    passwordRuleLength: 'От {{min}} до {{max}} символов. Допускаются пробелы и буквы любой письменности: фразу из нескольких слов легко запомнить и трудно подобрать.',
    passwordRuleCommon: 'Пароль не должен быть распространённым или известным по утечкам данных.',
    passwordRuleEmail: 'Пароль не должен совпадать с Вашим адресом электронной почты.',
    passwordLabel: 'Новый пароль',
    passwordRepeatLabel: 'Повторите новый пароль',
    passwordRefusedTitle: 'Пароль не принят',
    passwordBrokenLength: 'Его длина должна составлять от {{min}} до {{max}} символов.',
    passwordBrokenCommon: 'Он слишком распространён: он встречается в списках паролей, ставших известными в результате утечек.',
    passwordBrokenEmail: 'Он не должен совпадать с Вашим адресом электронной почты.',
    passwordMismatch: 'Введённые пароли не совпадают.',
    linkValidUntil: 'Эту ссылку можно использовать один раз, до {{expiresAt}}.',

    invitationTitle: 'Установите пароль',
    invitationIntro: 'Добро пожаловать, {{displayName}}. В CBM Registry для Вас открыта учётная запись с адресом {{email}} и ролью {{role}}. Чтобы активировать её, просьба выбрать пароль.',
    invitationSubmit: 'Установить пароль',
    invitationDoneTitle: 'Ваш пароль установлен',
    invitationInvalidTitle: 'Эту ссылку-приглашение использовать невозможно',
    invitationInvalid: 'Ссылка неизвестна, уже была использована или истёк срок её действия. Просьба обратиться к Вашему администратору за новым приглашением.',

    resetTitle: 'Выберите новый пароль',
    resetIntro: 'Просьба выбрать новый пароль для Вашей учётной записи в CBM Registry ({{email}}). Как только он будет установлен, все открытые сеансы учётной записи будут завершены на всех устройствах.',
    resetSubmit: 'Изменить пароль',
    resetDoneTitle: 'Ваш пароль изменён',
    resetDone: 'Все сеансы Вашей учётной записи завершены. Просьба войти в систему заново с новым паролем.',
    resetInvalidTitle: 'Эту ссылку для сброса пароля использовать невозможно',
    resetInvalid: 'Ссылка неизвестна, уже была использована или истёк срок её действия. Вы можете запросить новую ссылку; такие ссылки действуют лишь непродолжительное время.',

    signInHow: 'Для входа в систему используйте свой адрес электронной почты ({{email}}) и пароль в операции «login» документации API по адресу {{docsUrl}} либо в любом клиенте API по адресу {{loginUrl}}.',
    openDocs: 'Открыть документацию API',
    mfaEnrolHow:
      'Ваша роль требует второго фактора аутентификации. При первом входе в систему Вам будет предложено зарегистрировать его: установите на свой телефон приложение-аутентификатор (TOTP), запросите секретный ключ операцией «mfa/enrolment», добавьте его в приложение (введя ключ или отсканировав QR-код URI otpauth), затем подтвердите его шестизначным кодом, который покажет приложение (операция «mfa/enrolment/confirm»). Храните в надёжном месте десять кодов восстановления, которые Вы при этом получите.',
    mfaEnrolled: 'После ввода пароля будет запрошен шестизначный код Вашего приложения-аутентификатора или один из Ваших кодов восстановления.',
  },

  ar: {
    ackTitle: 'اختبار الاتصال',
    ackIntro: 'تؤكد هذه الصفحة إمكانية الاتصال بـ {{contactName}} ({{stateCode}}) عن طريق دليل جهات الاتصال في CBM Registry.',
    ackDeadline: 'يُرجى التأكيد قبل {{deadline}}.',
    ackConfirm: 'تأكيد',
    ackDoneTitle: 'شكراً لكم',
    ackDone: 'سُجِّل التأكيد الخاص بـ {{contactName}}. يمكنكم إغلاق هذه الصفحة.',
    ackUnknownTitle: 'رابط غير معروف',
    ackUnknown: 'رابط الإقرار بالاستلام هذا غير معروف.',
    ackGoneTitle: 'لم يعد الرابط صالحاً',
    ackUsed: 'سبق استخدام رابط الإقرار بالاستلام هذا: وقد سُجِّل تأكيدكم.',
    ackExpired: 'انتهى اختبار الاتصال هذا: ولم يعد الرابط يعمل.',

    passwordRulesTitle: 'قواعد كلمة المرور',
    passwordRuleLength: 'من {{min}} إلى {{max}} حرفاً. يُسمح بالمسافات وبحروف أي نظام كتابة: فالعبارة المؤلفة من عدة كلمات سهلة التذكر وصعبة التخمين.',
    passwordRuleCommon: 'ألا تكون كلمة مرور شائعة الاستعمال أو معروفة من حوادث تسريب البيانات.',
    passwordRuleEmail: 'ألا تكون عنوان بريدكم الإلكتروني.',
    passwordLabel: 'كلمة المرور الجديدة',
    passwordRepeatLabel: 'أعيدوا كتابة كلمة المرور الجديدة',
    passwordRefusedTitle: 'لم تُقبل كلمة المرور',
    passwordBrokenLength: 'يجب أن يتراوح طولها بين {{min}} و{{max}} حرفاً.',
    passwordBrokenCommon: 'إنها شائعة جداً: فهي واردة في قوائم كلمات المرور المسرَّبة.',
    passwordBrokenEmail: 'يجب ألا تكون عنوان بريدكم الإلكتروني.',
    passwordMismatch: 'كلمتا المرور المدخلتان غير متطابقتين.',
    linkValidUntil: 'يمكن استخدام هذا الرابط مرة واحدة، حتى {{expiresAt}}.',

    invitationTitle: 'حدِّدوا كلمة المرور',
    invitationIntro: 'مرحباً بكم، {{displayName}}. فُتح لكم حساب في CBM Registry بالعنوان {{email}} وبالدور {{role}}. يُرجى اختيار كلمة المرور لتفعيله.',
    invitationSubmit: 'تحديد كلمة المرور',
    invitationDoneTitle: 'حُدِّدت كلمة المرور',
    invitationInvalidTitle: 'لا يمكن استخدام رابط الدعوة هذا',
    invitationInvalid: 'الرابط غير معروف أو سبق استخدامه أو انتهت صلاحيته. يُرجى أن تطلبوا من المسؤول عنكم إرسال دعوة جديدة إليكم.',

    resetTitle: 'اختاروا كلمة مرور جديدة',
    resetIntro: 'يُرجى اختيار كلمة مرور جديدة لحسابكم في CBM Registry ({{email}}). وبمجرد تحديدها، تُنهى جميع الجلسات المفتوحة للحساب على جميع الأجهزة.',
    resetSubmit: 'تغيير كلمة المرور',
    resetDoneTitle: 'غُيِّرت كلمة المرور',
    resetDone: 'أُنهيت جميع جلسات حسابكم. يُرجى تسجيل الدخول من جديد بكلمة المرور الجديدة.',
    resetInvalidTitle: 'لا يمكن استخدام رابط إعادة تعيين كلمة المرور هذا',
    resetInvalid: 'الرابط غير معروف أو سبق استخدامه أو انتهت صلاحيته. ويمكنكم طلب رابط جديد؛ فهذه الروابط لا تصلح إلا لمدة قصيرة.',

    signInHow: 'لتسجيل الدخول، استخدموا عنوان بريدكم الإلكتروني ({{email}}) وكلمة المرور في العملية "login" من وثائق واجهة البرمجة على العنوان {{docsUrl}}، أو في أي عميل لواجهة البرمجة على العنوان {{loginUrl}}.',
    openDocs: 'فتح وثائق واجهة البرمجة',
    mfaEnrolHow:
      'يتطلب دوركم عاملاً ثانياً للتحقق من الهوية. وعند تسجيل الدخول لأول مرة سيُطلب منكم تسجيله: ثبِّتوا تطبيقاً للمصادقة (TOTP) على هاتفكم، واطلبوا مفتاحاً سرياً بالعملية "mfa/enrolment"، وأضيفوه إلى التطبيق (بكتابة المفتاح أو بمسح رمز QR الخاص بعنوان otpauth)، ثم أكِّدوه بالرمز المؤلف من ستة أرقام الذي يعرضه التطبيق (العملية "mfa/enrolment/confirm"). واحفظوا في مكان آمن رموز الاسترداد العشرة التي ستتلقونها عندئذ.',
    mfaEnrolled: 'بعد كلمة المرور، سيُطلب منكم الرمز المؤلف من ستة أرقام الذي يعرضه تطبيق المصادقة، أو أحد رموز الاسترداد الخاصة بكم.',
  },

  zh: {
    ackTitle: '通信检查',
    ackIntro: '本页确认可通过 CBM Registry 联络点名录联系到 {{contactName}}（{{stateCode}}）。',
    ackDeadline: '请于 {{deadline}} 之前确认。',
    ackConfirm: '确认',
    ackDoneTitle: '谢谢',
    ackDone: '{{contactName}} 的确认已记录。您可以关闭本页。',
    ackUnknownTitle: '未知链接',
    ackUnknown: '此确认回执链接无法识别。',
    ackGoneTitle: '链接已失效',
    ackUsed: '此确认回执链接已被使用：您的确认已记录在案。',
    ackExpired: '本次通信检查已结束：该链接已失效。',

    passwordRulesTitle: '密码规则',
    passwordRuleLength: '长度为 {{min}} 至 {{max}} 个字符。可使用空格和任何文字的字母：由几个词组成的短语既易于记忆，又难以猜测。',
    passwordRuleCommon: '不得为常用密码或因数据泄露而为人所知的密码。',
    passwordRuleEmail: '不得为您的电子邮件地址。',
    passwordLabel: '新密码',
    passwordRepeatLabel: '再次输入新密码',
    passwordRefusedTitle: '密码未被接受',
    passwordBrokenLength: '密码长度须为 {{min}} 至 {{max}} 个字符。',
    passwordBrokenCommon: '该密码过于常见：它出现在已泄露密码的列表中。',
    passwordBrokenEmail: '密码不得为您的电子邮件地址。',
    passwordMismatch: '两次输入的密码不一致。',
    linkValidUntil: '此链接仅可使用一次，有效期至 {{expiresAt}}。',

    invitationTitle: '设置您的密码',
    invitationIntro: '{{displayName}}，欢迎您。已在 CBM Registry 中为您开设账户，地址为 {{email}}，角色为 {{role}}。请选择密码以启用该账户。',
    invitationSubmit: '设置密码',
    invitationDoneTitle: '您的密码已设置',
    invitationInvalidTitle: '此邀请链接无法使用',
    invitationInvalid: '该链接无法识别、已被使用或已过期。请联系您的管理员，请其向您发送新的邀请。',

    resetTitle: '选择新密码',
    resetIntro: '请为您的 CBM Registry 账户（{{email}}）选择新密码。新密码设置后，该账户在所有设备上的全部现有会话都将结束。',
    resetSubmit: '更改密码',
    resetDoneTitle: '您的密码已更改',
    resetDone: '您账户的全部会话均已结束。请使用新密码重新登录。',
    resetInvalidTitle: '此密码重置链接无法使用',
    resetInvalid: '该链接无法识别、已被使用或已过期。您可以申请新的链接；此类链接仅在短时间内有效。',

    signInHow: '如需登录，请在 API 文档（{{docsUrl}}）的“login”操作中，或在任何 API 客户端中（{{loginUrl}}），使用您的电子邮件地址（{{email}}）和密码。',
    openDocs: '打开 API 文档',
    mfaEnrolHow:
      '您的角色要求使用第二重身份验证。首次登录时，系统将要求您进行登记：请在手机上安装身份验证应用（TOTP），通过“mfa/enrolment”操作获取密钥，将其添加到应用中（输入密钥或扫描 otpauth URI 的二维码），然后用应用显示的六位数字代码加以确认（“mfa/enrolment/confirm”操作）。届时您将收到十个恢复代码，请妥善保存。',
    mfaEnrolled: '输入密码后，系统将要求您输入身份验证应用显示的六位数字代码，或您的一个恢复代码。',
  },
};
