# English is served as "en" but written the British way the tracker always used
# (29 Sep 2015, weeks from Monday): Django's en_GB formats.
from django.conf.locale.en_GB.formats import *  # noqa: F403
