"""The coordinators' webhook pages (under /coordinate/webhooks/): the endpoints, one endpoint with its
delivery log, a new or changed endpoint, a new secret, a dead delivery sent again. Only those
permissions.can_manage_webhooks allows open them (web/access.py)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from recommendations import permissions
from web.access import RightRequiredMixin
from webhooks import sending
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint

LOG_PAGE = 50  # deliveries a page of the log shows


class WebhooksMixin(RightRequiredMixin):
    allowed = staticmethod(permissions.can_manage_webhooks)
    refusal = gettext_lazy("Only coordinators may manage webhooks.")


class EndpointListView(WebhooksMixin, ListView):
    model = Endpoint
    template_name = "webhooks/endpoint_list.html"
    context_object_name = "endpoints"


class EndpointCreateView(WebhooksMixin, CreateView):
    form_class = EndpointForm
    template_name = "webhooks/endpoint_form.html"

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        endpoint = form.save()
        messages.success(self.request, _("Endpoint added. Give its signing secret to the receiver."))
        return redirect("webhook-detail", endpoint.pk)


class EndpointUpdateView(WebhooksMixin, UpdateView):
    model = Endpoint
    form_class = EndpointForm
    template_name = "webhooks/endpoint_form.html"

    def form_valid(self, form):
        endpoint = form.save()
        messages.success(self.request, _("Endpoint saved."))
        return redirect("webhook-detail", endpoint.pk)


class EndpointDetailView(WebhooksMixin, DetailView):
    model = Endpoint
    template_name = "webhooks/endpoint_detail.html"
    context_object_name = "endpoint"

    def get_context_data(self, **kwargs):
        deliveries = self.object.deliveries.defer("payload")
        page = Paginator(deliveries, LOG_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


class RotateSecretView(WebhooksMixin, View):
    def post(self, request, pk):
        get_object_or_404(Endpoint, pk=pk).rotate_secret()
        messages.success(request, _("New signing secret made: give it to the receiver."))
        return redirect("webhook-detail", pk)


class SendAgainView(WebhooksMixin, View):
    def post(self, request, pk, delivery):
        sending.send_again(get_object_or_404(Delivery, pk=delivery, endpoint_id=pk))
        messages.success(request, _("The delivery will be sent again."))
        return redirect("webhook-detail", pk)
