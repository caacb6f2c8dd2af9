app_name = "coding"

urlpatterns = []
