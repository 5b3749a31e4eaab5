"""The module's actions for lab results in words: Dutch (the guide's text), French, English."""

from __future__ import annotations

from dairyhaccp.lab.actions import Action

ACTION_TEXTS: dict[Action, tuple[str, str, str]] = {
    Action.STOP_USE_AND_DELIVERY: (
        "Stop onmiddellijk het gebruik en de eventuele levering van de melk.",
        "Arrêtez immédiatement l'utilisation et l'éventuelle livraison du lait.",
        "Stop use and delivery of the milk at once.",
    ),
    Action.DESTROY_MILK_AND_LOTS: (
        "Vernietig, indien nog beschikbaar, de betreffende melk en de productieloten die ermee "
        "gemaakt zijn.",
        "Détruisez, s'ils sont encore disponibles, le lait concerné et les lots de production "
        "fabriqués avec ce lait.",
        "Destroy the milk concerned and the production lots made from it, if still available.",
    ),
    Action.NOTIFY_FAVV: (
        "Verwittig het FAVV (meldingsplicht).",
        "Avertissez l'AFSCA (obligation de notification).",
        "Notify the FAVV (duty to notify).",
    ),
    Action.NOTIFY_FAVV_UNLESS_KEPT_IN_HOUSE: (
        "Verwittig het FAVV (meldingsplicht), tenzij het gevaar in uw bedrijf zelf ontstaan is, "
        "de melk en wat ermee gemaakt is uw bedrijf niet verlaten hebben en u traceerbare "
        "corrigerende maatregelen neemt om het gevaar te elimineren of te verminderen.",
        "Avertissez l'AFSCA (obligation de notification), sauf si le danger est apparu dans votre "
        "entreprise, que le lait et ce qui en a été fait n'ont pas quitté votre entreprise et que "
        "vous prenez des mesures correctives traçables pour éliminer ou réduire le danger.",
        "Notify the FAVV (duty to notify), unless the hazard arose in your business, the milk and "
        "what was made from it have not left your business and you take traceable corrective "
        "measures to eliminate or reduce the hazard.",
    ),
    Action.NO_NOTIFICATION_KEPT_IN_HOUSE: (
        "Een melding is niet nodig: het gevaar is in uw bedrijf ontstaan en niets heeft het "
        "verlaten. Neem corrigerende maatregelen die het gevaar elimineren of verminderen en zorg "
        "dat ze volledig traceerbaar zijn.",
        "Une notification n'est pas nécessaire : le danger est apparu dans votre entreprise et "
        "rien ne l'a quittée. Prenez des mesures correctives qui éliminent ou réduisent le danger "
        "et veillez à ce qu'elles soient entièrement traçables.",
        "No notification is needed: the hazard arose in your business and nothing has left it. "
        "Take corrective measures that eliminate or reduce the hazard, and keep them fully "
        "traceable.",
    ),
    Action.LABORATORY_NOTIFIES: (
        "Het laboratorium dat de analyse deed (Melkcontrolecentrum Vlaanderen of Comité du Lait) "
        "neemt de meldingsplicht aan het FAVV over.",
        "Le laboratoire qui a fait l'analyse (Melkcontrolecentrum Vlaanderen ou Comité du Lait) "
        "reprend l'obligation de notification à l'AFSCA.",
        "The laboratory that did the analysis (Melkcontrolecentrum Vlaanderen or Comité du Lait) "
        "takes over the duty to notify the FAVV.",
    ),
    Action.LABORATORY_NOTIFIES_IF_IT_ANALYSED: (
        "Deed het Melkcontrolecentrum Vlaanderen (MCC) of het Comité du Lait de analyse, dan "
        "nemen zij de meldingsplicht over.",
        "Si le Melkcontrolecentrum Vlaanderen (MCC) ou le Comité du Lait a fait l'analyse, il "
        "reprend l'obligation de notification.",
        "If Melkcontrolecentrum Vlaanderen (MCC) or Comité du Lait did the analysis, they take "
        "over the duty to notify.",
    ),
    Action.RAISE_MILKING_HYGIENE: (
        "Drijf de hygiëne bij de productie op; controleer de melkmachine en de koeltank.",
        "Renforcez l'hygiène de production ; contrôlez la machine à traire et le tank à lait.",
        "Raise hygiene during production; check the milking machine and the cooling tank.",
    ),
    Action.RAISE_UDDER_HYGIENE: (
        "Drijf de hygiëne bij de productie op (properheid van uier en omgeving); controleer de "
        "melkmachine en de koeltank.",
        "Renforcez l'hygiène de production (propreté de la mamelle et de l'environnement) ; "
        "contrôlez la machine à traire et le tank à lait.",
        "Raise hygiene during production (cleanliness of the udder and its surroundings); check "
        "the milking machine and the cooling tank.",
    ),
    Action.PRESS_SUPPLIER: (
        "Dring bij de leverancier aan op gepaste maatregelen, of verander van leverancier.",
        "Insistez auprès du fournisseur pour qu'il prenne les mesures appropriées, ou changez de "
        "fournisseur.",
        "Press the supplier to take suitable measures, or change supplier.",
    ),
    Action.NEXT_UNFAVOURABLE_MONTH_STOPS_USE: (
        "Nog één ongunstig maandresultaat en het gebruik en de levering moeten stoppen (vanaf "
        "het vierde opeenvolgende).",
        "Encore un résultat mensuel défavorable et l'utilisation et la livraison doivent cesser "
        "(à partir du quatrième consécutif).",
        "One more unfavourable monthly result and use and delivery must stop (from the fourth in "
        "a row).",
    ),
    Action.TAKE_MISSING_SAMPLES: (
        "Neem de ontbrekende monsters: het voortschrijdend meetkundig gemiddelde steunt op te "
        "weinig resultaten.",
        "Prélevez les échantillons manquants : la moyenne géométrique mobile repose sur trop peu "
        "de résultats.",
        "Take the missing samples: the rolling geometric mean rests on too few results.",
    ),
    Action.NOTIFY_FAVV_PRODUCT_LEFT_CONTROL: (
        "Verwittig het FAVV (meldingsplicht): het product heeft uw directe controle verlaten.",
        "Avertissez l'AFSCA (obligation de notification) : le produit a quitté votre contrôle "
        "direct.",
        "Notify the FAVV (duty to notify): the product has left your direct control.",
    ),
    Action.NOTIFY_FAVV_IF_PRODUCT_LEFT_CONTROL: (
        "Verwittig het FAVV (meldingsplicht) indien het product uw directe controle al heeft "
        "verlaten.",
        "Avertissez l'AFSCA (obligation de notification) si le produit a déjà quitté votre "
        "contrôle direct.",
        "Notify the FAVV (duty to notify) if the product has already left your direct control.",
    ),
    Action.WITHDRAW_OR_RECALL: (
        "Neem de producten uit de handel en/of roep ze terug indien ze al in de handel zijn "
        "gebracht.",
        "Retirez les produits du marché et/ou rappelez-les s'ils ont déjà été mis sur le marché.",
        "Withdraw the products from the market and/or recall them if they have already been "
        "placed on the market.",
    ),
    Action.HOLD_LOT: (
        "Houd het lot in uw bedrijf en neem traceerbare maatregelen die het gevaar wegnemen of "
        "verminderen.",
        "Gardez le lot dans votre entreprise et prenez des mesures traçables qui éliminent ou "
        "réduisent le danger.",
        "Keep the lot in your business and take traceable measures that eliminate or reduce the "
        "hazard.",
    ),
    Action.FIND_CAUSE: (
        "Zoek de oorzaak van de afwijking en voorkom dat ze zich herhaalt.",
        "Recherchez la cause de l'écart et évitez qu'il ne se reproduise.",
        "Find the cause of the deviation and prevent it from happening again.",
    ),
    Action.CLEAN_DISINFECT_TRAIN: (
        "Reinig en ontsmet indien nodig; leid het personeel op.",
        "Nettoyez et, si nécessaire, désinfectez ; formez le personnel.",
        "Clean and, where needed, disinfect; train the staff.",
    ),
    Action.IMPROVE_PROCESS_HYGIENE: (
        "Verbeter de productiehygiëne en de selectie en/of de oorsprong van de grondstoffen.",
        "Améliorez l'hygiène de production et la sélection et/ou l'origine des matières premières.",
        "Improve production hygiene and the selection and/or origin of the raw materials.",
    ),
    Action.TEST_ENTEROTOXINS: (
        "Laat de partij onderzoeken op stafylokokken-enterotoxinen (stafylokokken boven "
        "10^5 kve/g).",
        "Faites rechercher les entérotoxines staphylococciques dans le lot (staphylocoques "
        "au-dessus de 10^5 ufc/g).",
        "Have the batch tested for staphylococcal enterotoxins (staphylococci above 10^5 cfu/g).",
    ),
    Action.INCREASE_FREQUENCY: (
        "Verhoog de analysefrequentie tot het resultaat terug goed is.",
        "Augmentez la fréquence des analyses jusqu'à ce que le résultat soit de nouveau bon.",
        "Analyse more often until the result is good again.",
    ),
}

_LANGS = {"nl": 0, "fr": 1, "en": 2}


def describe_action(action: Action, lang: str = "nl") -> str:
    """The action as a sentence in `lang` (nl, fr or en; anything else gives Dutch)."""
    return ACTION_TEXTS[action][_LANGS.get(lang, 0)]
